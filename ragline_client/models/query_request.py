from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.retrieval_mode import RetrievalMode, check_retrieval_mode
from ..types import UNSET, Unset

T = TypeVar("T", bound="QueryRequest")


@_attrs_define
class QueryRequest:
    """
    Attributes:
        question (str):
        mode (RetrievalMode | Unset):
        top_k (int | Unset):  Default: 5.
    """

    question: str
    mode: RetrievalMode | Unset = UNSET
    top_k: int | Unset = 5
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        question = self.question

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode

        top_k = self.top_k

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "question": question,
            }
        )
        if mode is not UNSET:
            field_dict["mode"] = mode
        if top_k is not UNSET:
            field_dict["top_k"] = top_k

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        question = d.pop("question")

        _mode = d.pop("mode", UNSET)
        mode: RetrievalMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = check_retrieval_mode(_mode)

        top_k = d.pop("top_k", UNSET)

        query_request = cls(
            question=question,
            mode=mode,
            top_k=top_k,
        )

        query_request.additional_properties = d
        return query_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
