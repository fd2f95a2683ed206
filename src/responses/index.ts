export { type ResponseTables, responseMigrations } from './response-tables.js';
export { type StoredItem, type StoredResponse, StoredResponses } from './stored-responses.js';
