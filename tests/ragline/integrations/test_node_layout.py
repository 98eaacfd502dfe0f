"""ragline's chunk metadata is the very layout llama-index writes and reads for a node."""

from llama_index.core.schema import (
    MetadataMode,
    NodeRelationship,
    ObjectType,
    RelatedNodeInfo,
    TextNode,
)
from llama_index.core.vector_stores.utils import metadata_dict_to_node, node_to_metadata_dict

from ragline.integrations.node_layout import HIDDEN_FROM_LLM, node_metadata

FIELDS: dict[str, str | int | float | bool | None] = {
    "owner_id": "u1",
    "document_id": "d1",
    "version_id": "v1",
    "filename": "handbook.pdf",
    "chunk_index": 4,
    "page": 2,
    "heading": "Parking",
}


def test_the_layout_is_what_llama_index_writes_for_the_same_node() -> None:
    node = TextNode(
        id_="d1:v1:4",
        text="",
        metadata=dict(FIELDS),
        excluded_embed_metadata_keys=sorted(FIELDS),
        excluded_llm_metadata_keys=list(HIDDEN_FROM_LLM),
        relationships={
            NodeRelationship.SOURCE: RelatedNodeInfo(node_id="d1", node_type=ObjectType.DOCUMENT)
        },
    )

    expected = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)

    assert node_metadata("d1:v1:4", "d1", FIELDS) == expected


def test_llama_index_reads_a_chunk_back_with_its_citation_fields() -> None:
    node = metadata_dict_to_node(
        node_metadata("d1:v1:4", "d1", FIELDS), text="Visitors park in the blue garage."
    )

    assert isinstance(node, TextNode)
    assert node.node_id == "d1:v1:4" and node.ref_doc_id == "d1"
    assert node.metadata == FIELDS
    # An LLM sees where the text comes from, not ids; a re-embedding sees the text alone.
    shown = node.get_content(metadata_mode=MetadataMode.LLM)
    assert "filename: handbook.pdf" in shown and "page: 2" in shown and "owner_id" not in shown
    assert node.get_content(metadata_mode=MetadataMode.EMBED) == node.text


def test_a_chunk_without_page_or_heading_stays_flat() -> None:
    fields = {k: v for k, v in FIELDS.items() if k not in ("page", "heading")}

    metadata = node_metadata("d1:v1:0", "d1", fields)

    assert all(isinstance(v, str | int | float) for v in metadata.values())
    assert "page" not in metadata and metadata_dict_to_node(metadata).metadata == fields
