/** Postgres enum types of the memories tables (chat.md §4). */
export enum MemoryType {
  ShortTerm = 'short_term',
  LongTerm = 'long_term',
  Consolidated = 'consolidated',
}
export const MEMORY_TYPE_ENUM = 'chat_memory_type';

export enum MemoryOrigin {
  Extracted = 'extracted',
  Manual = 'manual',
  Imported = 'imported',
  Consolidated = 'consolidated',
}
export const MEMORY_ORIGIN_ENUM = 'chat_memory_origin';
