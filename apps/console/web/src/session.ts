/**
 * Who is signed in, from the console's own `GET /auth/me` (the backend-for-frontend's route, not
 * one of the APIs: its shape is libs/console-session's `signedInUserSchema`). `null`: nobody.
 */
export interface SignedInUser {
  sub: string;
  name: string;
  role: 'soc_admin' | 'soc_analyst' | 'kl_reporter' | 'member';
  member_id: string | null;
}

export async function signedInUser(): Promise<SignedInUser | null> {
  const response = await fetch('/auth/me', { headers: { accept: 'application/json' } });
  if (response.status === 401) return null;
  const body = (await response.json().catch(() => ({}))) as Partial<SignedInUser> & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body as SignedInUser;
}
