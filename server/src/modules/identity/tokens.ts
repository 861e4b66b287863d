import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';

/** Session tokens: HS256-signed JWTs carrying the session id (jti) and user id (sub). */
export interface TokenClaims {
  sessionId: string;
  userId: string;
  expiresAt: Date;
}

const ISSUER = 'congvan';

export class TokenService {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(c: TokenClaims): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(c.userId)
      .setJti(c.sessionId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(c.expiresAt.getTime() / 1000))
      .sign(this.key);
  }

  /** Returns the claims, or a reason the token is not acceptable. */
  async verify(token: string): Promise<TokenClaims | { error: 'EXPIRED' | 'INVALID' }> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (!payload.sub || !payload.jti || !payload.exp) return { error: 'INVALID' };
      return { userId: payload.sub, sessionId: payload.jti, expiresAt: new Date(payload.exp * 1000) };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { error: 'EXPIRED' };
      return { error: 'INVALID' };
    }
  }
}
