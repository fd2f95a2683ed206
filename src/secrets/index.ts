export { isEnvelope, SecretDecryptError } from './envelope.js';
export { loadMasterKeys, type MasterKey, type MasterKeyOptions, type MasterKeys, masterKeyId } from './master-keys.js';
export { type KeyringStatus, keyringStatus, type RotationOptions, type RotationReport, rotateKeyring } from './rotate-keyring.js';
export { type SealedColumn, sealContext } from './sealed-columns.js';
export { KeyringStartupError, SecretKeyring, type SecretKeyringOptions } from './secret-keyring.js';
export { type SecretTables, secretMigrations } from './secret-tables.js';
