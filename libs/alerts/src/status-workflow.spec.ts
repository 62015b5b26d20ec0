import { checkTransition, InvalidTransitionError, ReasonRequiredError } from './status-workflow';

describe('checkTransition', () => {
  it('allows the working path and closing with a reason', () => {
    expect(() => checkTransition('new', 'acknowledged')).not.toThrow();
    expect(() => checkTransition('acknowledged', 'in_progress')).not.toThrow();
    expect(() => checkTransition('in_progress', 'resolved', 'patched')).not.toThrow();
    expect(() => checkTransition('false_positive', 'in_progress')).not.toThrow();
  });

  it('refuses a move back, naming from and to', () => {
    expect(() => checkTransition('resolved', 'acknowledged', 'x')).toThrow(
      new InvalidTransitionError('cannot move an alert from resolved to acknowledged (allowed from resolved: in_progress)'),
    );
  });

  it('refuses to close without a reason', () => {
    expect(() => checkTransition('new', 'false_positive', '  ')).toThrow(new ReasonRequiredError('a reason is required to move an alert to false_positive'));
  });
});
