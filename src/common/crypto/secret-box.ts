import { Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';

/**
 * Encrypts secrets at rest (integration credentials, webhook signing secrets) with AES-256-GCM.
 * Format: `v1:<iv>:<tag>:<ciphertext>`, each part base64url, a random 12-byte IV per value.
 *
 * The key: `LEADHUB_SECRET_KEY` (32 bytes as 64 hex characters or base64), else `${DATA_DIR}/secret.key`,
 * generated once (mode 0600) on first use. Several instances sharing one database must share the key:
 * set LEADHUB_SECRET_KEY for them.
 */
export const SECRET_MASK = '••••';
/** Secrets shorter than this are masked entirely; longer ones show their last 4 characters. */
export const MASK_REVEAL_MIN_LENGTH = 12;

const VERSION = 'v1';
const TOKEN = /^v1:([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

export class SecretBoxError extends Error {}

@Injectable()
export class SecretBox implements OnModuleInit {
  private readonly logger = new Logger('SecretBox');
  private key?: Buffer;

  constructor(@Optional() private readonly config?: AppConfig) {}

  /** A box with a given key (tests, tools); the app's box loads its key as the configuration says. */
  static withKey(key: Buffer): SecretBox {
    const box = new SecretBox();
    box.key = checkLength(key, 'key');
    return box;
  }

  /** Loads (or creates) the key at start, so a bad LEADHUB_SECRET_KEY fails the start, not a request. */
  onModuleInit(): void {
    this.keyBytes();
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyBytes(), iv);
    cipher.setAAD(Buffer.from(VERSION));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, b64(iv), b64(cipher.getAuthTag()), b64(ct)].join(':');
  }

  decrypt(token: string): string {
    const m = TOKEN.exec(token);
    if (!m) throw new SecretBoxError('not an encrypted value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyBytes(), Buffer.from(m[1], 'base64url'));
      decipher.setAAD(Buffer.from(VERSION));
      decipher.setAuthTag(Buffer.from(m[2], 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(m[3], 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretBoxError('the value cannot be decrypted with this key');
    }
  }

  static isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && TOKEN.test(value);
  }

  /** What a response shows for a secret: `••••` + its last 4 characters (short secrets: `••••`). */
  static mask(plaintext: string): string {
    const chars = [...plaintext];
    return chars.length < MASK_REVEAL_MIN_LENGTH ? SECRET_MASK : SECRET_MASK + chars.slice(-4).join('');
  }

  static looksMasked(value: unknown): boolean {
    return typeof value === 'string' && value.startsWith(SECRET_MASK);
  }

  /** The mask of a stored (encrypted) value; a value this key cannot decrypt shows as the bare mask. */
  maskStored(token: string): string {
    try {
      return SecretBox.mask(this.decrypt(token));
    } catch {
      this.logger.warn('a stored secret cannot be decrypted with the current key');
      return SECRET_MASK;
    }
  }

  /**
   * A secret sent on update: its mask as returned earlier keeps the stored value (`keep`), any other
   * masked-looking value is refused (`mismatch`), anything else is a new secret, encrypted.
   */
  resolveSubmitted(
    submitted: string,
    stored: string | undefined,
  ): { kind: 'keep' | 'new'; value: string } | { kind: 'mismatch' } {
    if (!SecretBox.looksMasked(submitted)) return { kind: 'new', value: this.encrypt(submitted) };
    if (stored !== undefined && this.maskStored(stored) === submitted) return { kind: 'keep', value: stored };
    return { kind: 'mismatch' };
  }

  private keyBytes(): Buffer {
    if (this.key) return this.key;
    if (!this.config) throw new SecretBoxError('no key configured');
    this.key = loadSecretKey(this.config, (m) => this.logger.warn(m));
    return this.key;
  }
}

function b64(buf: Buffer): string {
  return buf.toString('base64url');
}

function checkLength(key: Buffer, source: string): Buffer {
  if (key.length !== 32) throw new Error(`${source} must be 32 bytes (64 hex characters or base64)`);
  return key;
}

/** Parses a key written as 64 hex characters or base64/base64url of 32 bytes. */
export function parseSecretKey(text: string, source: string): Buffer {
  const s = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(s)) return checkLength(Buffer.from(s, 'base64'), source);
  throw new Error(`${source} must be 32 bytes written as 64 hex characters or base64`);
}

export type SecretKeySource = Pick<AppConfig, 'secretKey' | 'dataDir' | 'databaseUrl'>;

/** The key from LEADHUB_SECRET_KEY, else from `${DATA_DIR}/secret.key`, created once (0600) if missing. */
export function loadSecretKey(source: SecretKeySource, warn: (message: string) => void = () => {}): Buffer {
  if (source.secretKey) return parseSecretKey(source.secretKey, 'LEADHUB_SECRET_KEY');
  const dir = source.dataDir;
  const file = join(dir, 'secret.key');
  if (source.databaseUrl)
    warn(`LEADHUB_SECRET_KEY is not set: using ${file}; instances sharing the database need the same key`);
  try {
    return parseSecretKey(readFileSync(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Write a temp file, then link it into place: the link fails if another process won the race.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  return parseSecretKey(readFileSync(file, 'utf8'), file);
}
