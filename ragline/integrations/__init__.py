"""ragline seen from other Python libraries.

* :mod:`ragline.integrations.node_layout`: the chunk metadata layout that llama-index's vector
  stores read (imports nothing heavy: the store stage of every flow run uses it).
* :mod:`ragline.integrations.llama_index`: ``RaglineEmbedding`` (ragline's own model as a
  llama-index embedding) and ``RaglineRetriever`` (the API's hybrid retrieval as a llama-index
  retriever). Importing it imports llama-index-core (a few seconds).
"""
