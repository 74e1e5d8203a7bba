// The local API the client benchmark calls: a keep-alive HTTP server on 127.0.0.1 (port 0) that answers
// POST /v1/omnimessage with 201 and the spec's example body. Run as a child process (`fork`) so it has
// its own core; the parent sends the answer body and gets the port back over IPC, and stops it with SIGTERM.
import { createServer } from 'node:http';

const answered = { status: 201, body: '' };

const server = createServer({ keepAlive: true }, (request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let status = answered.status;
    let body = answered.body;
    if (request.method !== 'POST' || request.url !== '/v1/omnimessage') {
      status = 404;
      body = JSON.stringify({ error: `no route ${request.method} ${request.url}` });
    } else if (!/^Basic /.test(request.headers.authorization ?? '')) {
      status = 401;
      body = JSON.stringify({ error: 'missing basic auth' });
    } else {
      try {
        if (typeof JSON.parse(Buffer.concat(chunks).toString('utf8')).to !== 'string') throw new Error('no "to"');
      } catch (error) {
        status = 400;
        body = JSON.stringify({ error: `bad body: ${error.message}` });
      }
    }
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;

process.on('message', (message) => {
  answered.body = message.body;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
