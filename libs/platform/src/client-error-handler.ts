import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/** What Node's HTTP parser refused, before Fastify or Nest ever saw a request. */
function clientErrorAnswer(code: string | undefined): { status: number; error: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      error: 'header_too_large',
      message: 'the request line and headers are larger than the server accepts (16 KiB); shorten the URL or headers',
    };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, error: 'request_timeout', message: 'the request was not received in time' };
  }
  return { status: 400, error: 'bad_request', message: 'the request is not valid HTTP/1.1' };
}

/**
 * Fastify's `clientErrorHandler`: answers a request Node's parser refused (a URL or headers over
 * the header limit, a timeout, bytes that are not HTTP) in the documented `{ error, message }`
 * shape, with `Connection: close` because the socket is closed right after. Without it, a
 * keep-alive client sends its next request on a socket that is already gone.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { status, ...body } = clientErrorAnswer(error.code);
    const json = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
}
