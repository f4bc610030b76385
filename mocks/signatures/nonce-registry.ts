/** Nonces are remembered at least this long (per generation) to detect replays. */
const NONCE_GENERATION_SIZE = 100_000;

/** Remembers recent signature nonces (ACS3's x-acs-signature-nonce) in two bounded generations (replays are refused). */
export class NonceRegistry {
  #current = new Set<string>();
  #previous = new Set<string>();

  /** False when the nonce was seen recently. */
  remember(nonce: string): boolean {
    if (this.#current.has(nonce) || this.#previous.has(nonce)) return false;
    if (this.#current.size >= NONCE_GENERATION_SIZE) {
      this.#previous = this.#current;
      this.#current = new Set();
    }
    this.#current.add(nonce);
    return true;
  }
}
