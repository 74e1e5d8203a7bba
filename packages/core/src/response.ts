const decoder = new TextDecoder();

/**
 * A real `Response` (so `instanceof Response`, `status` and `headers` hold) served from a body already read
 * into memory: `text()`, `json()`, `arrayBuffer()`, … decode those bytes directly instead of streaming them
 * through a `ReadableStream` again; `body` builds a stream only when someone asks for it. `headers` is the
 * object given, not a copy (copying them into the `Response` cost more than the rest of it).
 */
export class BufferedResponse extends Response {
  readonly #bytes: Uint8Array | null;
  readonly #headers: Headers;
  #used = false;
  #stream: ReadableStream<Uint8Array> | null | undefined;

  constructor(bytes: Uint8Array | null, status: number, statusText: string, headers: Headers) {
    super(null, { status, statusText });
    this.#bytes = bytes;
    this.#headers = headers;
  }

  override get headers(): Headers {
    return this.#headers;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#stream === undefined) {
      const bytes = this.#bytes;
      this.#stream =
        bytes === null
          ? null
          : new ReadableStream({
              start: (controller) => {
                this.#used = true;
                controller.enqueue(bytes);
                controller.close();
              },
            });
    }
    return this.#stream as ReadableStream<Uint8Array<ArrayBuffer>> | null;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  #take(): Uint8Array {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes ?? new Uint8Array(0);
  }

  override async text(): Promise<string> {
    return decoder.decode(this.#take());
  }

  override async json(): Promise<any> {
    return JSON.parse(decoder.decode(this.#take()));
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], { type: this.headers.get('content-type') ?? '' });
  }

  override async formData(): Promise<FormData> {
    return new Response(await this.arrayBuffer(), { headers: this.headers }).formData();
  }

  override clone(): Response {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed');
    return new BufferedResponse(this.#bytes, this.status, this.statusText, new Headers(this.#headers));
  }
}
