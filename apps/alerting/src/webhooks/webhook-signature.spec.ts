import { signWebhook, verifyWebhook } from './webhook-signature';

describe('signWebhook', () => {
  it('signs timestamp and body with HMAC-SHA256 and verifies', () => {
    const body = '{"type":"alert.created"}';
    const signature = signWebhook('s3cret', 1_800_000_000, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook('s3cret', '1800000000', body, signature, 300, 1_800_000_010_000)).toBe(true);
  });

  it('rejects another body, another secret and a stale timestamp', () => {
    const signature = signWebhook('s3cret', 1_800_000_000, 'a');
    expect(verifyWebhook('s3cret', '1800000000', 'b', signature, 300, 1_800_000_000_000)).toBe(false);
    expect(verifyWebhook('other', '1800000000', 'a', signature, 300, 1_800_000_000_000)).toBe(false);
    expect(verifyWebhook('s3cret', '1800000000', 'a', signature, 300, 1_800_001_000_000)).toBe(false);
  });
});
