from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_kind import JobKind, check_job_kind
from ..models.job_state import JobState, check_job_state
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_document_public import JobDocumentPublic
    from ..models.reingest_counts import ReingestCounts


T = TypeVar("T", bound="JobPublic")


@_attrs_define
class JobPublic:
    """
    Attributes:
        chunks_per_second (float | None): Embedding throughput right now.
        created_at (datetime.datetime):
        documents (list[JobDocumentPublic]):
        error (None | str):
        eta_seconds (float | None): Estimated seconds until the job ends.
        finished_at (datetime.datetime | None):
        flow_run_id (None | str):
        id (str):
        kind (JobKind):
        owner_id (str):
        prefect_url (None | str):
        progress (float):
        retry_of (None | str):
        started_at (datetime.datetime | None):
        state (JobState):
        counts (None | ReingestCounts | Unset): A re-ingestion's documents so far: skipped, re-ingested, failed.
        cpu_seconds (float | None | Unset): CPU the run used (flow process and parsers), once it ended.
    """

    chunks_per_second: float | None
    created_at: datetime.datetime
    documents: list[JobDocumentPublic]
    error: None | str
    eta_seconds: float | None
    finished_at: datetime.datetime | None
    flow_run_id: None | str
    id: str
    kind: JobKind
    owner_id: str
    prefect_url: None | str
    progress: float
    retry_of: None | str
    started_at: datetime.datetime | None
    state: JobState
    counts: None | ReingestCounts | Unset = UNSET
    cpu_seconds: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.reingest_counts import ReingestCounts  # noqa: PLC0415

        chunks_per_second: float | None
        chunks_per_second = self.chunks_per_second

        created_at = self.created_at.isoformat()

        documents = []
        for documents_item_data in self.documents:
            documents_item = documents_item_data.to_dict()
            documents.append(documents_item)

        error: None | str
        error = self.error

        eta_seconds: float | None
        eta_seconds = self.eta_seconds

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        flow_run_id: None | str
        flow_run_id = self.flow_run_id

        id = self.id

        kind: str = self.kind

        owner_id = self.owner_id

        prefect_url: None | str
        prefect_url = self.prefect_url

        progress = self.progress

        retry_of: None | str
        retry_of = self.retry_of

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        state: str = self.state

        counts: dict[str, Any] | None | Unset
        if isinstance(self.counts, Unset):
            counts = UNSET
        elif isinstance(self.counts, ReingestCounts):
            counts = self.counts.to_dict()
        else:
            counts = self.counts

        cpu_seconds: float | None | Unset
        if isinstance(self.cpu_seconds, Unset):
            cpu_seconds = UNSET
        else:
            cpu_seconds = self.cpu_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunks_per_second": chunks_per_second,
                "created_at": created_at,
                "documents": documents,
                "error": error,
                "eta_seconds": eta_seconds,
                "finished_at": finished_at,
                "flow_run_id": flow_run_id,
                "id": id,
                "kind": kind,
                "owner_id": owner_id,
                "prefect_url": prefect_url,
                "progress": progress,
                "retry_of": retry_of,
                "started_at": started_at,
                "state": state,
            }
        )
        if counts is not UNSET:
            field_dict["counts"] = counts
        if cpu_seconds is not UNSET:
            field_dict["cpu_seconds"] = cpu_seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_document_public import JobDocumentPublic  # noqa: PLC0415
        from ..models.reingest_counts import ReingestCounts  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_chunks_per_second(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        chunks_per_second = _parse_chunks_per_second(d.pop("chunks_per_second"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        documents = []
        _documents = d.pop("documents")
        for documents_item_data in _documents:
            documents_item = JobDocumentPublic.from_dict(documents_item_data)

            documents.append(documents_item)

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_eta_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        eta_seconds = _parse_eta_seconds(d.pop("eta_seconds"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_flow_run_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        flow_run_id = _parse_flow_run_id(d.pop("flow_run_id"))

        id = d.pop("id")

        kind = check_job_kind(d.pop("kind"))

        owner_id = d.pop("owner_id")

        def _parse_prefect_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        prefect_url = _parse_prefect_url(d.pop("prefect_url"))

        progress = d.pop("progress")

        def _parse_retry_of(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        retry_of = _parse_retry_of(d.pop("retry_of"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        state = check_job_state(d.pop("state"))

        def _parse_counts(data: object) -> None | ReingestCounts | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                counts_type_0 = ReingestCounts.from_dict(data)

                return counts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReingestCounts | Unset, data)

        counts = _parse_counts(d.pop("counts", UNSET))

        def _parse_cpu_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        cpu_seconds = _parse_cpu_seconds(d.pop("cpu_seconds", UNSET))

        job_public = cls(
            chunks_per_second=chunks_per_second,
            created_at=created_at,
            documents=documents,
            error=error,
            eta_seconds=eta_seconds,
            finished_at=finished_at,
            flow_run_id=flow_run_id,
            id=id,
            kind=kind,
            owner_id=owner_id,
            prefect_url=prefect_url,
            progress=progress,
            retry_of=retry_of,
            started_at=started_at,
            state=state,
            counts=counts,
            cpu_seconds=cpu_seconds,
        )

        job_public.additional_properties = d
        return job_public

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
