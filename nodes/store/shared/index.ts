export { defineStoreNode, type StoreNodeOptions } from './define-store-node.js';
export { storeConfigSchema, metadataFilterSchema, type StoreConfig } from './store-config.js';
export type { VectorStoreClient, EmbeddedDocument, ScoredDocument, MetadataFilter, VectorQueryOptions } from './vector-store.js';
export { MemoryVectorStore } from './memory-store.js';
