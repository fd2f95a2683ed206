export { type ResponseTables, responseMigrations } from './response-tables.js';
export { type StoredResponse, StoredResponses } from './stored-responses.js';
