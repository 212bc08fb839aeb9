import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

// scrypt (N=2^15, r=8, p=1), stored as "scrypt$N$r$p$salt$hash" so parameters can be raised later.
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string) {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64"), hash.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string | null | undefined) {
  const [scheme, N, r, p, salt, hash] = (stored ?? "").split("$");
  const params = [N, r, p].map(Number);
  const expected = Buffer.from(hash ?? "", "base64");
  // A malformed hash never verifies (an empty digest would otherwise equal an empty result).
  if (scheme !== "scrypt" || !salt || expected.length !== 32 || !params.every((n) => Number.isInteger(n) && n > 0)) {
    return false;
  }
  try {
    const [cost, blockSize, parallelization] = params as [number, number, number];
    const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
      N: cost,
      r: blockSize,
      p: parallelization,
      maxmem: PARAMS.maxmem,
    });
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
