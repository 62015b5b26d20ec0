import { z } from 'zod';

/** The product roles a signed-in person can hold, as the APIs name them. */
export const consoleRoles = ['soc_admin', 'soc_analyst', 'kl_reporter', 'member'] as const;
export type ConsoleRole = (typeof consoleRoles)[number];

/** Who is signed in, as `GET /auth/me` shows it: read from the provider's verified tokens. */
export const signedInUserSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  role: z.enum(consoleRoles),
  member_id: z.string().min(1).nullable(),
});
export type SignedInUser = z.infer<typeof signedInUserSchema>;

/**
 * One browser's sign-in, kept server-side only (Redis): the browser holds nothing but the opaque
 * session id. Times are epoch milliseconds.
 */
export const consoleSessionSchema = z.object({
  user: signedInUserSchema,
  accessToken: z.string().min(1),
  accessExpiresAt: z.number().int(),
  refreshToken: z.string().min(1).nullable(),
  /** Sent back as `id_token_hint` when signing out, so the provider ends its own session. */
  idToken: z.string().min(1),
  signedInAt: z.number().int(),
});
export type ConsoleSession = z.infer<typeof consoleSessionSchema>;

/** A sign-in begun at `/auth/login` and not yet completed: what the callback must match. */
export const pendingSignInSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(1),
});
export type PendingSignIn = z.infer<typeof pendingSignInSchema>;
