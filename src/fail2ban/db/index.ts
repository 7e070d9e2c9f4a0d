/** fail2ban's ban database, read without SQLite: the file format reader and the fail2ban tables on it. */
export { SqliteDatabase, SqliteFormatError, readHeader, readWal, parseCreateTable, varint, type SqliteValue, type SqliteHeader, type SchemaEntry, type Column, type Row, type OpenOptions } from './sqlite.js';
export { banDatabaseFromBytes, bansByJail, isCurrent, compareAddresses, type BanDatabase, type BanRow, type BanView, type JailBans } from './bans.js';
export { readBanDatabase, type ReadDatabaseOptions } from './file.js';
export { reconcile, isoTime, type Drift, type DriftKind, type Reconciliation } from './reconcile.js';
export { planUnban, carryOutUnban, formatPlan, readFirewall, toolFor, type UnbanPlan, type UnbanResult, type UnbanStep, type PlanOptions, type UnbanRunner, type UnbanRun } from './unban.js';
