// containment.mjs - What a JS kernel may reach: nothing but its arguments
// and the language (docs/runner-protocol.md, "Containment").
//
// rtcompare starts node with its permission model on (--permission, reads
// of the harness, the job, its inputs and module only), so files, child
// processes, workers, addons, WASI and the inspector are node's to refuse;
// a seccomp filter refuses sockets and signals to other processes. This
// module closes what is left inside the process before the kernel's module
// is imported:
// - imports: a resolve hook refuses every specifier but the kernel module
//   itself and the job's allowed imports (module.registerHooks, node 22.15
//   and 23.5 on; an older node, such as Debian's node 20 as v8-system,
//   imports freely, and what a module imported could do is still refused
//   by the permission model and seccomp: module.register's hooks would need
//   a worker thread, which the permission model refuses);
// - process.getBuiltinModule, process.binding, process._linkedBinding and
//   process.dlopen, the ways around `import`;
// - the network globals (fetch, WebSocket, EventSource), which the
//   permission model of node 24 does not cover;
// - process.kill of another process;
// - stdout, which belongs to the protocol: console and process.stdout
//   write to stderr.
// A refused operation throws, and is recorded: the harness then reports a
// `refused` error even if the kernel caught what was thrown.

import { Console } from 'node:console';
import * as nodeModule from 'node:module';

const PREFIX = 'kernel containment:';

let refusal = null;

/// The first refused operation, described, or null.
export function takeRefusal() {
  const r = refusal;
  refusal = null;
  return r;
}

/// Whether an error is a refusal: ours, or one of node's permission model.
export function isRefusal(e) {
  return e !== null && typeof e === 'object' &&
         (e.code === 'ERR_ACCESS_DENIED' ||
          (typeof e.message === 'string' && e.message.startsWith(PREFIX)));
}

function allowedText(allowed) {
  return allowed.length === 0 ? '(the module may import nothing)'
                              : `(allowed: ${allowed.join(', ')})`;
}

function isAllowed(specifier, allowed) {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return allowed.includes(specifier) || allowed.includes(bare) ||
         allowed.includes(`node:${bare}`);
}

function refuse(what) {
  refusal ??= what;
  const e = new Error(`${PREFIX} ${what} refused`);
  e.code = 'ERR_KC_REFUSED';
  return e;
}

function refuser(what) {
  return function refused() {
    throw refuse(what);
  };
}

/// Confines what is imported or run after this call to the module at
/// `url` and the specifiers of `allowed`. Returns the mechanisms in force.
export function contain(url, allowed) {
  const mechanisms = [];
  if (typeof nodeModule.registerHooks === 'function') {
    nodeModule.registerHooks({
      resolve(specifier, context, nextResolve) {
        if (specifier !== url && !isAllowed(specifier, allowed))
          throw refuse(`import of '${specifier}' ${allowedText(allowed)}`);
        return nextResolve(specifier, context);
      },
    });
    mechanisms.push('import hooks');
  } else {
    mechanisms.push('no import hooks');
  }

  const getBuiltin = process.getBuiltinModule?.bind(process);
  process.getBuiltinModule = function getBuiltinModule(id) {
    if (getBuiltin && isAllowed(String(id), allowed))
      return getBuiltin(id);
    throw refuse(`process.getBuiltinModule('${id}') ${allowedText(allowed)}`);
  };
  for (const name of ['binding', '_linkedBinding', 'dlopen'])
    process[name] = refuser(`process.${name}`);
  for (const name of ['fetch', 'WebSocket', 'EventSource'])
    if (name in globalThis)
      Object.defineProperty(globalThis, name, {
        value: refuser(`the network (${name})`),
        writable: true,
        configurable: true,
      });

  const kill = process.kill.bind(process);
  process.kill = function killSelf(pid, signal) {
    if (pid === process.pid || pid === 0)
      return kill(pid, signal);
    throw refuse(`a signal to process ${pid}`);
  };

  const stderr = process.stderr;
  Object.defineProperty(process, 'stdout', { get: () => stderr, configurable: true });
  globalThis.console = new Console({ stdout: stderr, stderr });
  mechanisms.push(process.permission ? 'node permission model' : 'no node permission model');
  return mechanisms;
}
