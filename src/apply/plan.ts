/**
 * The plan: from the rendered files and the files on the host, what apply will do — which files change
 * (with a unified diff), where the originals are saved, which checkers validate the new tree, which
 * services are reloaded and how the result is verified — plus the lockout findings that stop it.
 */
import * as nodePath from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { diagnostic, formatDiagnostic, type Diagnostic } from '../core/diagnostics.js';
import { decodeBytes, firstEscapedByte, showEscapedBytes, SourceText } from '../core/text.js';
import { isRenderedByFwconf } from '../builder/render.js';
import { Fail2banDocument } from '../fail2ban/document.js';
import type { RenderedFile, Service } from '../builder/model.js';
import type { Executor, RunResult } from './executor.js';
import { commentOutPorts, includesFile, insertInclude, rerootIncludes, setsPort } from './sshd-edits.js';
import { explainSshdTest, showSshdOutput, type SshdTestContext } from './sshd-refusals.js';
import type { StagedValidation } from './staged-validation.js';
import * as ufwStatus from '../ufw/index.js';
import { editUserLocal } from './fail2ban-edits.js';
import { explainFail2banTest, missingLogAdvice, specEnables } from './fail2ban-refusals.js';
import { allowsTcpPort, readUfwScript, ufwRestoreScript, type UfwScript } from './ufw-script.js';
import { nftablesCheck, type NftTable } from './nftables.js';
import { overPlannedTree } from './tree-source.js';
import { readHost, type Host } from '../host/read.js';
import { dropInOverrides, missingLogs, portConflicts } from '../host/findings.js';
import { sshdLogin, type HostSshd, type HostSshdLogin } from '../host/sshd.js';
import { readUfwFiles } from '../host/ufw.js';

const posix = nodePath.posix;

/** sshd's main configuration file on the host. */
export const SSHD_CONFIG = '/etc/ssh/sshd_config';
/** fail2ban's configuration directory on the host. */
export const FAIL2BAN_DIR = '/etc/fail2ban';
/** Where an apply in progress records what it has touched, so an interrupted one can be undone. */
export const JOURNAL = '/var/lib/fwconf/apply-journal.json';

/** One file of a plan: its path, whether it is created, replaced, edited or unchanged, and its text before and after. */
export interface PlannedFile {
  readonly path: string;
  readonly service: Service;
  readonly format: RenderedFile['format'];
  /** create: new file; replace: a file fwconf renders; edit: a user-owned file changed in place; unchanged. */
  readonly action: 'create' | 'replace' | 'edit' | 'unchanged';
  readonly before?: string;
  readonly after: string;
  /** Unified diff against the current file ('' when unchanged). */
  readonly diff: string;
  readonly mode: number;
  readonly uid?: number;
  readonly gid?: number;
  /** Where the original is saved before it is replaced (existing files that change). */
  readonly backup?: string;
  /** The staging file, in the same directory as the target. */
  readonly temp: string;
  /** Why a file fwconf did not render is changed. */
  readonly reason?: string;
}

/** A program run to validate, reload or verify. */
export interface PlannedCommand {
  readonly service: Service;
  readonly argv: readonly string[];
  readonly description: string;
  /** A file written only for the duration of the command (sshd's re-rooted main config), and the daemon path it stands for. */
  readonly scratch?: { readonly path: string; readonly content: string; readonly standsFor?: string };
  /** For validations: the checker's output as the user should read it (a staging path named as the file it stands for). */
  readonly show?: (text: string) => string;
  /** For verifications: returns what is wrong with the output, or undefined when it is as intended. */
  readonly expect?: (result: RunResult) => string | undefined;
  /** For validations: when the checker refuses the tree, what is at fault and how to fix it (if known). */
  readonly explain?: (result: RunResult) => string | undefined;
  /** For validations in a dry run: how the checker runs on a staged copy of the planned tree. */
  readonly staged?: StagedValidation;
  /** For reloads: what runs on rollback, once the files are back (default: the reload again). */
  readonly undo?: readonly string[];
}

/**
 * A state captured on the live system before the reloads, turned into a script that puts it back on
 * rollback (ufw: the firewall rules a new ufw script replaces).
 */
export interface PlannedSnapshot {
  readonly service: Service;
  readonly argv: readonly string[];
  readonly description: string;
  /** From the command's output, the POSIX shell script that restores the state, or why there is none. */
  readonly restoreScript: (result: RunResult) => { script: string } | { problem: string };
}

/** A check done by fwconf itself where the daemon has none (xinetd). */
export interface PlannedLibraryCheck {
  readonly service: Service;
  readonly description: string;
  /** Error lines; undefined when the check is not available (reported as skipped). */
  readonly run: () => Promise<string[] | undefined>;
}

/** What an apply would do on a host: the files to write (with their text before and after), the checks, snapshots, reloads and verifications to run, and the ways it would lock the operator out. */
export interface Plan {
  /** The executor's description. */
  readonly target: string;
  /** Reloads and verifications run (false under a root prefix or in tests with a non-live executor). */
  readonly live: boolean;
  readonly files: readonly PlannedFile[];
  readonly validations: readonly PlannedCommand[];
  readonly libraryChecks: readonly PlannedLibraryCheck[];
  /** States saved before the reloads (live system only), restored on rollback. */
  readonly snapshots: readonly PlannedSnapshot[];
  readonly reloads: readonly PlannedCommand[];
  readonly verifications: readonly PlannedCommand[];
  /**
   * nftables tables on the live system that iptables-nft did not create, seen before the ufw script
   * runs (a warning note names them); empty when there are none or they were not looked at.
   */
  readonly foreignNftTables?: readonly NftTable[];
  /** Ways the plan would lock the operator out; apply refuses while any is present (unless allowed). */
  readonly lockout: readonly string[];
  readonly notes: readonly string[];
}

/** The files that change. */
export function changes(plan: Plan): PlannedFile[] {
  return plan.files.filter((f) => f.action !== 'unchanged');
}

/** The person applying: their login name (SUDO_USER when run through sudo). */
export interface Operator {
  readonly user: string;
  /** The address the operator logs in from (for sshd's `Match Address`); default 192.0.2.1, a documentation address. */
  readonly address?: string;
}

/** Options of planning an apply. */
export interface PlanOptions {
  /** For backup names; default now. */
  now?: Date;
  operator?: Operator;
  /** Unique token for staging file names; default the pid and a random suffix. */
  token?: string;
}

/**
 * A file's text, decoded without loss (core's decodeBytes: UTF-8, any other byte kept as an escape), so
 * that a file edited through its text and written back with encodeText keeps every byte the edit did
 * not touch — a Latin-1 comment, a byte-order mark.
 */
export async function readText(exec: Executor, path: string): Promise<string | undefined> {
  const b = await exec.read(path);
  return b === undefined ? undefined : decodeBytes(b);
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

async function backupName(exec: Executor, path: string, now: Date, taken: Set<string>): Promise<string> {
  const first = `${path}.orig`;
  if (!(await exec.stat(first)) && !taken.has(first)) return first;
  const base = `${path}.orig.${stamp(now)}`;
  let name = base;
  for (let n = 1; (await exec.stat(name)) || taken.has(name); n++) name = `${base}.${n}`;
  return name;
}

/** The unified diff of a file's change ('' when none); bytes that are not UTF-8 show as `\xE9`. */
export function unifiedDiff(path: string, before: string | undefined, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a${path}`, `b${path}`, showEscapedBytes(before ?? ''), showEscapedBytes(after), undefined, undefined, { context: 3 })
    .split('\n')
    .slice(1) // drop the "====" line
    .join('\n');
}

/**
 * The plan cannot be made: a file apply would have to edit cannot be edited safely. `diagnostics`
 * name the place (`file:line:col: error: ... [code]`).
 */
export class PlanRefusal extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'PlanRefusal';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What a rendered file does to the file already at its path. A file fwconf wrote (its marker line) is
 * replaced. A fail2ban `.local` without the marker is the user's own — .local files are where the
 * user's changes live — so it is edited in place: fwconf's sections and keys are added or changed,
 * every other line stays as the user wrote it (see editUserLocal). Any other file is replaced, the
 * plan saying that it was not fwconf's (its original is kept as the backup).
 */
function renderedOver(path: string, f: RenderedFile, before: string | undefined): { after: string; user: boolean; reason?: string } {
  if (before === undefined || isRenderedByFwconf(before)) return { after: f.content, user: false };
  if (f.format === 'fail2ban' && path.endsWith('.local')) {
    const bad = firstEscapedByte(before);
    if (bad >= 0) {
      // fail2ban opens its files as UTF-8 and skips one that is not, whole (an error in its log, and
      // `fail2ban-client -t` still says OK): fwconf's settings written into it would never be read.
      const at = new SourceText(before, path).positionAt(bad);
      const byte = (before.charCodeAt(bad) - 0xdc00).toString(16).toUpperCase();
      throw new PlanRefusal([
        diagnostic(
          'apply/not-utf8',
          'error',
          `byte 0x${byte} is not UTF-8: fail2ban skips a file that is not UTF-8 as a whole, so the settings fwconf would add to this file of yours would not be read; convert it (e.g. iconv -f latin1 -t utf-8) and apply again`,
          at,
          path,
        ),
      ]);
    }
    // A file configparser refuses makes fail2ban refuse the whole configuration: editing it cannot help.
    const current = new Fail2banDocument(before, { file: path });
    if (current.fatal) throw new PlanRefusal(current.diagnostics.filter((d) => d.severity === 'error'));
    const edit = editUserLocal(before, f.content, path);
    const sections = [...new Set(edit.changed.map((c) => c.slice(0, c.indexOf(']') + 1)))];
    return {
      after: edit.text,
      user: true,
      reason: `the user's own file (no fwconf marker): fwconf sets ${edit.changed.length} option${edit.changed.length === 1 ? '' : 's'} in ${sections.join(', ')}; every other line is kept`,
    };
  }
  return { after: f.content, user: false, reason: 'not written by fwconf (no fwconf marker): replaced' };
}

/** Builds the plan. Reads through the executor; changes nothing. */
export async function planApply(rendered: readonly RenderedFile[], exec: Executor, options: PlanOptions = {}): Promise<Plan> {
  if (!Array.isArray(rendered)) throw new TypeError('planApply: expected an array of rendered files');
  const now = options.now ?? new Date();
  const token = options.token ?? `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const notes: string[] = [];
  const files: PlannedFile[] = [];
  const taken = new Set<string>();
  const seen = new Set<string>();

  /** `make` gives the new text from the current one (undefined: no file); `user`: a file the user owns, edited in place. */
  const plan1 = async (path: string, service: Service, format: PlannedFile['format'], mode: number, make: (before: string | undefined) => { after: string; user: boolean; reason?: string }) => {
    const info = await exec.stat(path);
    if (info && info.kind !== 'file') throw new Error(`${path}: exists and is not a regular file`);
    const before = info ? await readText(exec, path) : undefined;
    // A link at the path is refused before anything is written (writeRefusals): the file it points
    // to is not the user's file to edit here, so the plan shows what fwconf would put in its place.
    const link = info ? await exec.readlink?.(path) : undefined;
    const { after, user, reason } = link === undefined ? make(before) : { ...make(undefined), reason: `a symbolic link (-> ${link}): refused` };
    const changed = before !== after;
    const action: PlannedFile['action'] = !changed ? 'unchanged' : before === undefined ? 'create' : user ? 'edit' : 'replace';
    const backup = changed && before !== undefined ? await backupName(exec, path, now, taken) : undefined;
    if (backup) taken.add(backup);
    files.push({
      path,
      service,
      format,
      action,
      before,
      after,
      diff: unifiedDiff(path, before, after),
      mode: info ? info.mode : mode,
      uid: info?.uid,
      gid: info?.gid,
      backup,
      temp: posix.join(posix.dirname(path), `.${posix.basename(path)}.fwconf-${token}.tmp`),
      reason: changed ? reason : undefined,
    });
  };

  for (const f of rendered) {
    if (typeof f?.path !== 'string' || !f.path.startsWith('/')) throw new TypeError(`rendered file path must be absolute: ${JSON.stringify(f?.path)}`);
    if (typeof f.content !== 'string' || LONE_SURROGATE.test(f.content)) throw new TypeError(`rendered file ${f.path}: content must be a well-formed Unicode string`);
    const p = posix.resolve(f.path);
    if (seen.has(p)) throw new TypeError(`rendered file listed twice: ${p}`);
    seen.add(p);
    await plan1(p, f.service, f.format, f.mode, (before) => renderedOver(p, f, before));
  }

  // sshd: the drop-in only counts when the main config includes it.
  const dropIns = files.filter((f) => f.service === 'sshd' && f.path !== SSHD_CONFIG);
  const overlay = new Map(files.map((f) => [f.path, f.after] as const));
  if (dropIns.length > 0 && !seen.has(SSHD_CONFIG)) {
    const main = await readText(exec, SSHD_CONFIG);
    if (main === undefined) {
      notes.push(`${SSHD_CONFIG} does not exist: the sshd drop-in will not be read until it includes ${posix.dirname(dropIns[0]!.path)}`);
    } else {
      const missing = dropIns.filter((d) => !includesFile(main, d.path));
      let text = main;
      const reasons: string[] = [];
      if (missing.length > 0) {
        const dirs = [...new Set(missing.map((d) => posix.dirname(d.path)))];
        for (const dir of dirs.reverse()) text = insertInclude(text, `${dir}/*${posix.extname(missing.find((m) => posix.dirname(m.path) === dir)!.path)}`);
        reasons.push(`it does not include ${dirs.reverse().join(', ')}`);
      }
      // A drop-in that sets the port: sshd_config's own Port lines would add their ports to it.
      const portDropIn = dropIns.find((d) => setsPort(d.after));
      if (portDropIn) {
        const ports = commentOutPorts(text, SSHD_CONFIG);
        if (ports.lines.length > 0) {
          text = ports.text;
          reasons.push(
            `its Port ${ports.ports.join(', ')} (line${ports.lines.length > 1 ? 's' : ''} ${ports.lines.join(', ')}) would keep sshd listening there besides the port ${portDropIn.path} sets (Port accumulates): commented out`,
          );
        }
      }
      if (text !== main) {
        await plan1(SSHD_CONFIG, 'sshd', 'sshd', 0o644, () => ({ after: text, user: true, reason: reasons.join('; ') }));
        overlay.set(SSHD_CONFIG, text);
      }
    }
  }

  const changed = files.filter((f) => f.action !== 'unchanged');
  const services = new Set(changed.map((f) => f.service));

  // The tree as it will be, asked for the port conflicts this apply would cause (a honeypot on a port
  // sshd keeps): refused with the finding, as apply cannot fix them itself.
  // The tree as it will be, read by src/host: sshd's ports and settings, xinetd's services.
  // ufw's own rule files (fwconf ufw restore, render --ufw-files): the lockout guard reads the tree's rules as ufw will
  const ufwRuleFiles = files.filter((f) => f.service === 'ufw' && (f.format === 'ufw-rules' || f.format === 'ufw-conf'));
  const ufwRulesChange = ufwRuleFiles.some((f) => f.action !== 'unchanged');
  // a ufw script or rule files that change: the lockout guard needs the ports sshd will listen on, from the tree when the spec leaves sshd alone
  const ufwChange = ufwRulesChange || files.some((f) => f.service === 'ufw' && f.format === 'shell' && f.action !== 'unchanged');
  const host: Host | undefined = files.some((f) => f.service === 'sshd') || services.has('xinetd') || ufwChange ? await overPlannedTree(exec, overlay, (source) => readHost(source, { only: ['sshd', 'xinetd'] })) : undefined;
  if (host && (services.has('sshd') || services.has('xinetd'))) {
    const touched = new Set(changed.map((f) => f.path));
    const caused = portConflicts(host).filter((c) => touched.has(c.file) || c.related.some((r) => touched.has(r.file)));
    if (caused.length > 0)
      throw new PlanRefusal(caused.map((c) => ({ ...c, message: `${c.message}; ${c.related.map((r) => `${r.file}:${r.line}: ${r.message ?? ''}`).join('; ')}. To fix it: ${c.fix}` })));
    // A file sshd reads before the drop-in keeps its own value of a hardening setting: say so.
    for (const d of dropInOverrides(host)) notes.push(`warning: ${d.file}:${d.line}: ${d.message}. To fix it: ${d.fix} [${d.code}]`);
  }
  const validations: PlannedCommand[] = [];
  const libraryChecks: PlannedLibraryCheck[] = [];
  const snapshots: PlannedSnapshot[] = [];
  const reloads: PlannedCommand[] = [];
  const verifications: PlannedCommand[] = [];
  const foreignNftTables: NftTable[] = [];

  const sshd = files.some((f) => f.service === 'sshd') || ufwChange ? host?.sshd : undefined;
  const ufwFile = files.find((f) => f.service === 'ufw' && f.format === 'shell');
  const ufw = ufwFile ? readUfwScript(ufwFile.after) : ufwRulesChange ? await ufwFilesAsScript(exec, overlay) : undefined;

  if (services.has('sshd')) {
    const mainText = host!.files.read(SSHD_CONFIG) ?? '';
    const rootPrefix = exec.hostPath('/').replace(/\/+$/, '');
    const ctx = (scratch?: string): SshdTestContext => ({
      ...(scratch ? { scratch: { hostPath: exec.hostPath(scratch), standsFor: SSHD_CONFIG } } : {}),
      daemonPath: (p) => (rootPrefix === '' ? p : p === rootPrefix || p.startsWith(rootPrefix + '/') ? p.slice(rootPrefix.length) || '/' : undefined),
      change: (p) => {
        const f = files.find((x) => x.path === p && x.action !== 'unchanged');
        return f ? { ...(f.before !== undefined ? { before: f.before } : {}), after: f.after } : undefined;
      },
    });
    // On a staged copy (a dry run): the files sshd reads (not its host keys), Includes pointed into the copy.
    const sshdStaged: StagedValidation = {
      reads: host?.sshd?.files ?? [SSHD_CONFIG],
      argv: (stage) => ['sshd', '-t', '-f', posix.join(stage, SSHD_CONFIG)],
      edits: { [SSHD_CONFIG]: (text, stage) => rerootIncludes(text, (p) => posix.join(stage, p)) },
    };
    if (exec.hostPath(SSHD_CONFIG) === SSHD_CONFIG) {
      const c = ctx();
      validations.push({ service: 'sshd', argv: ['sshd', '-t', '-f', SSHD_CONFIG], description: 'sshd checks the main config with the new drop-in', explain: (r) => explainSshdTest(r, c), staged: sshdStaged });
    } else {
      const scratch = `/etc/ssh/.sshd_config.fwconf-${token}.check`;
      const c = ctx(scratch);
      validations.push({
        service: 'sshd',
        argv: ['sshd', '-t', '-f', exec.hostPath(scratch)],
        description: `sshd checks the root's main config (Include paths re-rooted in ${scratch})`,
        scratch: { path: scratch, content: rerootIncludes(mainText, (p) => exec.hostPath(p)), standsFor: SSHD_CONFIG },
        show: (t) => showSshdOutput(t, c),
        explain: (r) => explainSshdTest(r, c),
        staged: sshdStaged,
      });
    }
    reloads.push({ service: 'sshd', argv: ['systemctl', 'reload', 'ssh'], description: 'sshd re-reads its configuration' });
    const ports = (sshd?.ports ?? [{ port: 22 }]).map((p) => p.port);
    verifications.push({
      service: 'sshd',
      argv: ['ss', '-Hltn'],
      description: `sshd listens on ${ports.join(', ')}`,
      expect: (r) => {
        if (r.code !== 0) return `ss failed: ${r.stderr.trim()}`;
        const listening = new Set(r.stdout.split('\n').map((l) => /:(\d+)\s/.exec(l.trim().split(/\s+/)[3] + ' ')?.[1]).filter(Boolean));
        const missing = ports.filter((p) => !listening.has(String(p)));
        return missing.length ? `nothing listens on ${missing.join(', ')}` : undefined;
      },
    });
  }
  if (services.has('ufw') && ufwFile) {
    validations.push({
      service: 'ufw',
      argv: ['sh', '-n', exec.hostPath(ufwFile.path)],
      description: 'the shell parses the ufw script',
      staged: { reads: [ufwFile.path], argv: (stage) => ['sh', '-n', posix.join(stage, ufwFile.path)] },
    });
    reloads.unshift({ service: 'ufw', argv: ['sh', exec.hostPath(ufwFile.path)], description: 'run the ufw script' });
    snapshots.push({
      service: 'ufw',
      // LANG=C: the labels state() reads are the English ones
      argv: ['env', 'LANG=C', 'LC_ALL=C', 'ufw', 'status', 'verbose'],
      description: "saves the firewall's current rules, to restore them if the apply is rolled back",
      restoreScript: (r) => ufwRestoreScript(r.stdout, ['Written by fwconf apply: the ufw state from before the apply, restored on rollback.']),
    });
    // Hand-made nftables tables filter the same packets as ufw's (a warning: see nftables.ts).
    const nft = await nftablesCheck(exec);
    if (nft.note) notes.push(nft.note);
    foreignNftTables.push(...nft.tables);
    const wanted = ufw!.rules.filter((r) => r.direction === 'in' && r.ports);
    verifications.push({
      service: 'ufw',
      argv: ['env', 'LANG=C', 'LC_ALL=C', 'ufw', 'status'],
      description: `ufw is ${ufw!.enables ? 'active' : 'configured'} with the script's ${wanted.length} inbound port rules`,
      expect: (r) => {
        if (r.code !== 0) return `ufw status failed: ${r.stderr.trim()}`;
        const doc = ufwStatus.parse(r.stdout);
        if (ufw!.enables && doc.status !== 'active') return `ufw is ${doc.status ?? 'in an unknown state'}, not active`;
        const rules = doc.rules.filter((x) => !x.v6 && x.direction === 'in');
        const missing = wanted.filter(
          (w) =>
            !rules.some(
              (x) =>
                x.action === w.action &&
                x.to.port === w.ports!.map(([a, b]) => (a === b ? `${a}` : `${a}:${b}`)).join(',') &&
                (x.proto ?? undefined) === w.proto &&
                (x.from.address ?? undefined) === w.from,
            ),
        );
        return missing.length ? `ufw status lacks: ${missing.map((m) => m.line).join('; ')}` : undefined;
      },
    });
  }
  if (services.has('xinetd')) {
    const xfiles = changed.filter((f) => f.service === 'xinetd');
    libraryChecks.push({
      service: 'xinetd',
      description: 'xinetd has no check mode: fwconf checks the service files the way xinetd parses them',
      run: async () => {
        const { format } = await import('../xinetd/index.js');
        const errors: string[] = [];
        for (const f of xfiles) {
          // check() reports the parse's own diagnostics (a line xinetd cannot read, a missing brace)
          // along with xinetd's attribute and service rules; errors are what makes xinetd drop a service.
          const doc = format.parse(f.after, { file: f.path });
          for (const d of format.check(doc)) if (d.severity === 'error') errors.push(`${f.path}:${d.line}:${d.column}: ${d.message} [${d.code}]`);
        }
        return errors;
      },
    });
    reloads.push({ service: 'xinetd', argv: ['systemctl', 'restart', 'xinetd'], description: 'xinetd restarts with the new services' });
  }
  if (services.has('fail2ban')) {
    // The tree as fail2ban will read it, resolved by the fail2ban format: the jails it will run, and
    // what it will refuse.
    const f2b = files.filter((f) => f.service === 'fail2ban');
    const specText = new Map(rendered.map((r) => [posix.resolve(r.path), r.content] as const));
    const f2bHost = await overPlannedTree(exec, overlay, (source) => readHost(source, { only: ['fail2ban'] }));
    const enables = specEnables(
      f2b.filter((f) => f.action !== 'edit').map((f) => f.path),
      new Map(f2b.filter((f) => f.action === 'edit').map((f) => [f.path, specText.get(f.path) ?? ''] as const)),
    );
    const refused = missingLogs(f2bHost);
    for (const m of refused) notes.push(`fail2ban will refuse this configuration: ${missingLogAdvice(m, enables)}`);
    validations.push({
      service: 'fail2ban',
      argv: ['fail2ban-client', '-c', exec.hostPath(FAIL2BAN_DIR), '-t'],
      description: 'fail2ban tests its configuration',
      explain: (r) => explainFail2banTest(f2bHost, enables, `${r.stdout}\n${r.stderr}`),
      staged: { reads: [FAIL2BAN_DIR], argv: (stage) => ['fail2ban-client', '-c', posix.join(stage, FAIL2BAN_DIR), '-t'] },
    });
    // What the plan says fail2ban will refuse stops the apply, even where fail2ban-client -t passes:
    // below a root it reads the jails' log paths on this machine, not below the root.
    if (refused.length > 0) {
      const below = exec.hostPath('/') !== '/';
      libraryChecks.push({
        service: 'fail2ban',
        description: "fail2ban's jails have their log files in the tree (fail2ban refuses to start without them)",
        run: async () =>
          refused.map(
            (m) => `fail2ban will refuse to start: ${missingLogAdvice(m, enables)}${below ? ' (fail2ban-client -t reads log paths on this machine, not below the root, so it cannot see this)' : ''}`,
          ),
      });
    }
    reloads.push({ service: 'fail2ban', argv: ['fail2ban-client', 'reload'], description: 'fail2ban reloads its jails' });
    const jails = (f2bHost.fail2ban?.jails ?? []).filter((j) => !j.error).map((j) => j.name);
    verifications.push({
      service: 'fail2ban',
      argv: ['fail2ban-client', 'status'],
      description: `fail2ban runs the jails ${jails.join(', ') || '(none enabled)'}`,
      expect: (r) => {
        if (r.code !== 0) return `fail2ban-client status failed: ${r.stderr.trim()}`;
        const list = /Jail list:\s*(.*)$/m.exec(r.stdout)?.[1]?.split(/,\s*/).map((s) => s.trim()).filter(Boolean) ?? [];
        const missing = jails.filter((j) => !list.includes(j));
        return missing.length ? `jails not running: ${missing.join(', ')}` : undefined;
      },
    });
  }
  for (const f of changed.filter((x) => x.format === 'ufw-rules' && /(^|\/)user6?\.rules$/.test(x.path))) {
    const prog = /6/.test(posix.basename(f.path)) ? 'ip6tables-restore' : 'iptables-restore';
    validations.push({
      service: 'ufw',
      argv: [prog, '--test', exec.hostPath(f.path)],
      description: `${prog} tests ${f.path}`,
      staged: { reads: [f.path], argv: (stage) => [prog, '--test', posix.join(stage, f.path)] },
    });
  }
  if (ufwRulesChange && !ufwFile) {
    // rendered ufw files that enable ufw (ENABLED=yes) are loaded by `ufw enable`; else ufw reloads them if it runs
    const conf = overlay.get('/etc/ufw/ufw.conf');
    const enables = conf !== undefined && /^ENABLED=yes\s*$/m.test(conf);
    // on rollback, with the original files back: ufw reloads them when they say ENABLED=yes, else it stops (as it was)
    const before = files.find((f) => f.path === '/etc/ufw/ufw.conf')?.before ?? (await readText(exec, '/etc/ufw/ufw.conf'));
    const undo = before !== undefined && /^ENABLED=yes\s*$/m.test(before) ? ['ufw', 'reload'] : ['ufw', 'disable'];
    reloads.push(
      enables
        ? { service: 'ufw', argv: ['ufw', '--force', 'enable'], description: 'ufw loads its files and starts (ENABLED=yes)', undo }
        : { service: 'ufw', argv: ['ufw', 'reload'], description: 'ufw reloads its rule files (when it is enabled)', undo },
    );
  }
  for (const f of changed.filter((x) => x.format === 'iptables-save')) {
    const prog = /6/.test(posix.basename(f.path)) ? 'ip6tables-restore' : 'iptables-restore';
    validations.push({ service: f.service, argv: [prog, '--test', exec.hostPath(f.path)], description: `${prog} tests ${f.path}`, staged: { reads: [f.path], argv: (stage) => [prog, '--test', posix.join(stage, f.path)] } });
  }

  // the operator's login is checked when the plan has sshd's files (a firewall-only change leaves the logins as they are)
  const operator = files.some((f) => f.service === 'sshd') ? options.operator : undefined;
  const lockout = sshd || ufw ? await lockoutFindings(exec, sshd, ufw, operator, (ufwFile !== undefined && ufwFile.action !== 'unchanged') || ufwRulesChange) : [];
  if (!exec.live && (reloads.length > 0 || verifications.length > 0)) notes.push(`not the live system (${exec.description}): reloads and post-checks are skipped`);

  return { target: exec.description, live: exec.live, files, validations, libraryChecks, snapshots, reloads, verifications, foreignNftTables, lockout, notes };
}

/**
 * Jails a jail.local turns on (`enabled = true`), in file order: a text scan of one file. The plan itself
 * asks the fail2ban format's resolve, which reads the whole tree (jail.conf, jail.d, defaults).
 */
export function enabledJails(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    let section: string | undefined;
    for (const raw of text.split('\n')) {
      const line = raw.replace(/\r$/, '');
      const s = /^\[([^\]]+)\]/.exec(line);
      if (s) {
        section = s[1]!.trim();
        continue;
      }
      const kv = /^enabled\s*[=:]\s*(\S+)/i.exec(line);
      if (kv && section && section !== 'DEFAULT' && section !== 'INCLUDES') {
        const on = /^(true|yes|1|on)$/i.test(kv[1]!);
        const i = out.indexOf(section);
        if (on && i < 0) out.push(section);
        if (!on && i >= 0) out.splice(i, 1);
      }
    }
  }
  return out;
}

/** ufw's files as they will be (the planned ones over the tree's), as the ufw script the lockout guard reads. */
async function ufwFilesAsScript(exec: Executor, overlay: ReadonlyMap<string, string>): Promise<UfwScript> {
  const texts = new Map<string, string | undefined>();
  for (const p of ['/etc/ufw/ufw.conf', '/etc/default/ufw', '/etc/ufw/user.rules', '/etc/ufw/user6.rules']) texts.set(p, overlay.get(p) ?? (await readText(exec, p)));
  const host = readUfwFiles({ read: (p) => texts.get(p), list: () => undefined, stat: (p) => (texts.get(p) !== undefined ? 'file' : undefined) });
  return {
    enables: host?.enabled ?? false,
    resets: false,
    ...(host?.defaultIncoming ? { defaultIncoming: host.defaultIncoming } : {}),
    rules: (host?.rules ?? []).filter((r) => !r.v6).map((r) => ({ ...r, line: `${r.file}:${r.line}` })),
  };
}

/**
 * The operator's next login, over each port sshd will listen on (`sshd -T -C` for that connection:
 * Match blocks on LocalPort, Address, User applied): a lockout when it fails on every port.
 */
async function lockoutFindings(exec: Executor, sshd: HostSshd | undefined, ufw: UfwScript | undefined, operator: Operator | undefined, ufwChanges: boolean): Promise<string[]> {
  const out: string[] = [];
  const ports = sshd?.ports.map((p) => p.port) ?? [];
  if (sshd && ufw && ufwChanges) {
    const allowed = ports.filter((p) => allowsTcpPort(ufw, p));
    if (allowed.length === 0) {
      const list = ports.map((p) => `${p}/tcp`).join(', ');
      out.push(
        ufw.enables
          ? `ufw is enabled without a rule allowing the SSH port (${list})`
          : `sshd listens on ${list}, which the ufw rules being applied do not allow`,
      );
    }
  }
  if (sshd && operator) {
    const home = await homeOf(exec, operator.user);
    let first: string[] | undefined;
    for (const lport of ports.length ? ports : [22]) {
      const login = sshdLogin(sshd.forConnection({ user: operator.user, addr: operator.address ?? '192.0.2.1', host: 'client.invalid', lport }));
      const found = await loginFindings(exec, login, operator.user, home);
      if (found.length === 0) {
        first = undefined;
        break;
      }
      first ??= found;
    }
    if (first) out.push(...first);
  }
  return out;
}

async function loginFindings(exec: Executor, sshd: HostSshdLogin, user: string, home: string | undefined): Promise<string[]> {
  const out: string[] = [];
  const hasKey = home !== undefined && (await hasAuthorizedKey(exec, user, home, sshd.authorizedKeysFile));
  const passwords = sshd.passwordAuthentication || sshd.kbdInteractiveAuthentication;
  if (user === 'root' && sshd.permitRootLogin === 'no') out.push('root logins are refused (PermitRootLogin no) and the user applying is root');
  else if (!passwords && (!sshd.pubkeyAuthentication || !hasKey)) {
    out.push(`password logins are disabled and ${user} has no authorized key${home === undefined ? ` (no home directory found for ${user})` : ` in ${sshd.authorizedKeysFile.join(' or ')}`}`);
  } else if (user === 'root' && sshd.permitRootLogin !== 'yes' && !hasKey) {
    out.push(`root may log in only with a key (PermitRootLogin ${sshd.permitRootLogin}) and root has no authorized key`);
  }
  return out;
}

async function homeOf(exec: Executor, user: string): Promise<string | undefined> {
  const passwd = await readText(exec, '/etc/passwd');
  for (const line of passwd?.split('\n') ?? []) {
    const f = line.split(':');
    if (f[0] === user && f[5]) return f[5];
  }
  return undefined;
}

async function hasAuthorizedKey(exec: Executor, user: string, home: string, patterns: readonly string[]): Promise<boolean> {
  for (const pat of patterns) {
    if (pat.toLowerCase() === 'none') continue;
    const expanded = pat.replace(/%(.)/g, (_m, c: string) => (c === 'h' ? home : c === 'u' ? user : c === '%' ? '%' : `%${c}`));
    const path = expanded.startsWith('/') ? expanded : posix.join(home, expanded);
    const text = await readText(exec, path).catch(() => undefined);
    if (text?.split('\n').some((l) => /^\s*[^#\s]/.test(l))) return true;
  }
  return false;
}
