"""Chunk metadata in the layout llama-index's vector stores read back as nodes.

llama-index's ``ChromaVectorStore`` turns a record into a node with
``llama_index.core.vector_stores.utils.metadata_dict_to_node``: it needs ``_node_content``
(the node as JSON, its text left out because Chroma keeps it as the record's document),
``_node_type``, and ``document_id`` / ``doc_id`` / ``ref_doc_id`` (the source document, which
``ChromaVectorStore.delete(ref_doc_id)`` deletes by). ragline writes exactly what that
library's ``node_to_metadata_dict(node, remove_text=True, flat_metadata=True)`` would write
for a ``TextNode`` whose source is the document, so ``VectorStoreIndex.from_vector_store``
reads a user's collection as it is.

Built by hand rather than by llama-index: importing llama-index-core costs seconds, which
every flow run's store stage would pay. tests/ragline/integrations/test_node_layout.py
compares the two and fails when llama-index changes its layout (checked against
llama-index-core 0.14.25, llama-index-vector-stores-chroma 0.6.0).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

MetadataValue = str | int | float | bool | None

#: Keys a language model reading a node is not shown: ids mean nothing to it. It sees the
#: file name, page and heading, so an answer can name its source.
HIDDEN_FROM_LLM = ("owner_id", "document_id", "version_id", "chunk_index")
NODE_TYPE = "TextNode"
_SOURCE = "1"  # NodeRelationship.SOURCE
_DOCUMENT = "4"  # ObjectType.DOCUMENT


def node_metadata(
    node_id: str, document_id: str, fields: Mapping[str, MetadataValue]
) -> dict[str, MetadataValue]:
    """``fields`` (flat: Chroma holds no None or nesting) plus the node llama-index reads."""
    node: dict[str, object] = {
        "id_": node_id,
        "embedding": None,
        "metadata": dict(fields),
        # The stored vector embeds the chunk's text alone (its title is already in it): a
        # llama-index pipeline that re-embeds a node must not prefix metadata to it.
        "excluded_embed_metadata_keys": sorted(fields),
        "excluded_llm_metadata_keys": [key for key in HIDDEN_FROM_LLM if key in fields],
        "relationships": {
            _SOURCE: {
                "node_id": document_id,
                "node_type": _DOCUMENT,
                "metadata": {},
                "hash": None,
                "class_name": "RelatedNodeInfo",
            }
        },
        "metadata_template": "{key}: {value}",
        "metadata_separator": "\n",
        "text": "",
        "mimetype": "text/plain",
        "start_char_idx": None,
        "end_char_idx": None,
        "text_template": "{metadata_str}\n\n{content}",
        "class_name": NODE_TYPE,
    }
    return {
        **fields,
        "_node_content": json.dumps(node, ensure_ascii=False),
        "_node_type": NODE_TYPE,
        # llama-index's names for the source document, kept equal to ragline's document_id.
        "document_id": document_id,
        "doc_id": document_id,
        "ref_doc_id": document_id,
    }
