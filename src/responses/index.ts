export { type ResponseTables, responseMigrations } from './response-tables.js';
export { type StoredItem, type StoredResponse, StoredResponses, type StoredResponsesOptions } from './stored-responses.js';
