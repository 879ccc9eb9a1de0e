// A loopback TCP server that counts the connections it accepts: a test that routes a workflow's
// request to it proves no socket opened when the count stays 0 (nothing else listens on the port).
import net from "node:net";

export interface Loopback {
  port: number;
  url: string;
  connections(): number;
  close(): Promise<void>;
}

export async function startLoopback(): Promise<Loopback> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.end("HTTP/1.1 200 OK\r\ncontent-length: 8\r\nconnection: close\r\n\r\nloopback");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy(); // a client's kept-alive socket
      }),
  };
}
