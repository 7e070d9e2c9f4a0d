/**
 * xinetd below the Document: the attribute table and value rules xinetd applies, the line reader, and
 * the attribute layout (style) edits keep. `import { syntax } from 'fwconf/xinetd'`.
 */
export {
  SERVICE_ATTRIBUTES,
  DEFAULT_ATTRIBUTES,
  attributeSpec,
  isModifiable,
  SOCKET_TYPES,
  SERVICE_TYPES,
  SERVICE_FLAGS,
  LOG_ON_SUCCESS_FLAGS,
  LOG_ON_FAILURE_FLAGS,
  SYSLOG_FACILITIES,
  SYSLOG_LEVELS,
  BUILTIN_SERVICES,
  hasBuiltin,
  findName,
  validateValues,
} from './attributes.js';
export { XinetdLine } from './reader.js';
export { CANONICAL_STYLE, sniffStyle, renderAttribute } from './style.js';
