/** A fetched response with its body already read (within the byte cap), and the URL it finally came from. */
export class SafeResponse {
  constructor(
    /** The URL after redirects. */
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly body: Uint8Array,
    readonly redirected: boolean,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  text(): string {
    return new TextDecoder().decode(this.body);
  }

  json(): unknown {
    return JSON.parse(this.text());
  }
}
