import net from "node:net";

/** What the guard needs from the replay. */
export interface SocketGuardController {
  /** Whether the code opening the socket (to `host:port`) is the replayed workflow's. */
  owns(target: string): boolean;
  /** Reports the refused connection (an effect the harness cannot see into). */
  onConnect(target: string): void;
  /** The message the refused connection fails with, when not {@link socketRefusedMessage}. */
  refusal?(target: string): string | undefined;
}

/** The error a raw TCP connection from a replayed workflow fails with. */
export function socketRefusedMessage(target: string): string {
  return (
    `[workflow-replay] Failed to connect to ${target}: the replayed workflow opened a raw TCP connection (a database or cache driver, an SMTP client), and nothing leaves the process during a replay. ` +
    `The harness cannot see what such a client sends, so it cannot check it: give the workflow a fake client for the test and wrap it with trackEffects(client, "name"), so its calls are checked like requests.`
  );
}

function targetOf(args: unknown[]): string {
  const first = args[0];
  if (Array.isArray(first)) return targetOf(first);
  if (typeof first === "object" && first !== null) {
    const options = first as { host?: string; port?: number | string; path?: string };
    if (options.path) return String(options.path);
    return `${options.host ?? "localhost"}:${options.port ?? "?"}`;
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return first; // an IPC path
  const host = typeof args[1] === "string" ? args[1] : "localhost";
  return `${host}:${String(first)}`;
}

/**
 * Refuses `net.Socket#connect` (every TCP and TLS client goes through it: net.connect, tls.connect,
 * http agents, undici's own clients, database drivers) for the replayed workflow's code while installed.
 * The socket fails with {@link socketRefusedMessage} before any connection is attempted. Code that is
 * not the workflow's connects as usual. Returns the function that removes the guard.
 */
export function guardSockets(ctrl: SocketGuardController): () => void {
  const proto = net.Socket.prototype as net.Socket & Record<string, unknown>;
  const original = proto.connect;
  const guarded = function connect(this: net.Socket, ...args: unknown[]): net.Socket {
    const target = targetOf(args);
    if (!ctrl.owns(target)) return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    const message = ctrl.refusal?.(target);
    if (message === undefined) ctrl.onConnect(target);
    const error = Object.assign(new Error(message ?? socketRefusedMessage(target)), { code: "ECONNREFUSED" });
    process.nextTick(() => this.destroy(error));
    return this;
  };
  proto.connect = guarded as typeof proto.connect;
  return () => {
    if (proto.connect === guarded) proto.connect = original;
  };
}
