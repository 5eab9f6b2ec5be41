import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { problem } from './problem-details.js';

/** What Node's HTTP parser refused, as SPEC §1 wants every error: a status and a problem+json body. */
function problemFor(code: string | undefined) {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem(431, 'REQUEST_HEADERS_TOO_LARGE', 'The request headers are too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return problem(408, 'REQUEST_TIMEOUT', 'The request was not received in time.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
    default:
      return problem(400, 'MALFORMED_REQUEST', 'The request is not valid HTTP/1.1.');
  }
}

/**
 * Errors Node's HTTP parser raises before any request exists — a header block over the limit
 * (431), a bad request line or header (400), a request that never finished arriving (408) —
 * which Node answers by default with an empty body. This answers them as problem+json and
 * closes the connection (the parser's state is lost). A socket already reset, or one whose
 * response has begun, is only closed.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const answer = problemFor(err.code);
    const body = JSON.stringify(answer);
    socket.end(
      `HTTP/1.1 ${answer.status} ${answer.title}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
