import { Logger } from '@nestjs/common';
import { StructuredLogger } from './logger-fields';
import { captureLogs } from './testing/captured-logs';

describe(StructuredLogger.name, () => {
  let captured: ReturnType<typeof captureLogs>;
  beforeEach(() => (captured = captureLogs()));
  afterEach(() => captured.restore());

  it('writes its fields as JSON properties beside the message, with the context and level', () => {
    new StructuredLogger('IngestPipeline').info({ member_id: '0751', correlation_id: 'c-1', events: 12 }, 'batch accepted');
    expect(captured.lines).toEqual([
      expect.objectContaining({
        level: 30,
        app: 'test',
        context: 'IngestPipeline',
        msg: 'batch accepted',
        member_id: '0751',
        correlation_id: 'c-1',
        events: 12,
      }),
    ]);
  });

  it('writes warn and error lines at their levels', () => {
    const logger = new StructuredLogger('Handler');
    logger.warn({ late: 2 }, 'batch correlated');
    logger.error({ entry_id: '1-0' }, 'batch failed');
    expect(captured.lines.map((l) => [l.level, l.msg, l.context])).toEqual([
      [40, 'batch correlated', 'Handler'],
      [50, 'batch failed', 'Handler'],
    ]);
    expect(captured.lines[1]).toMatchObject({ entry_id: '1-0' });
  });

  it('keeps the line context when a field is named context', () => {
    new StructuredLogger('Real').info({ context: 'forged' }, 'm');
    expect(captured.lines[0].context).toBe('Real');
  });

  it('still writes a plain Nest message as the message', () => {
    new Logger('Plain').log('listening on 3000');
    expect(captured.lines[0]).toMatchObject({ level: 30, context: 'Plain', msg: 'listening on 3000' });
  });

  it('drops lines below the level', () => {
    captured.restore();
    captured = captureLogs('warn');
    new StructuredLogger('Quiet').info({ member_id: '0751' }, 'batch accepted');
    expect(captured.lines).toEqual([]);
  });
});
