import { loadavg } from 'node:os';
import { authLogCorpus, apacheLogCorpus } from './elastic-corpora';
import { fail2banCorpus } from './fail2ban-corpus';
import { otrfCorpus } from './otrf-corpus';
import { payloadCorpus } from './payload-corpus';
import { RuleCatalogue } from './rule-catalogue';

/**
 * `npm run bench:detect`: the real corpora of ../shared/data replayed through the collector's
 * parsing and stamping and the correlator's rule set; per corpus: lines, parsed, unparsed (with the
 * top reasons), events per dataset, detections and alerts per rule, and detection and
 * false-positive rates against the corpus's own annotations. Prints one JSON object; the same
 * JSON every run apart from `duration_ms` and `load_average_1m` (docs/DETECTION.md, "Detection report").
 */
const memberId = '0751';

function log(message: string): void {
  process.stderr.write(`[bench:detect] ${message}\n`);
}

async function main(): Promise<void> {
  const began = Date.now();
  const catalogue = new RuleCatalogue();
  log('fail2ban test logs');
  const fail2ban = await fail2banCorpus(catalogue, memberId);
  log('elastic-examples auth.log');
  const authLog = await authLogCorpus(catalogue, memberId);
  log('elastic-examples apache_logs');
  const apache = await apacheLogCorpus(catalogue, memberId);
  log('web-attack payload lists');
  const payloads = await payloadCorpus(catalogue, memberId);
  log('OTRF Windows datasets');
  const otrf = await otrfCorpus(catalogue, memberId);
  process.stdout.write(
    `${JSON.stringify({
      node: process.version,
      // The machine is shared: the load beside the benchmark explains run-to-run spread in duration_ms.
      load_average_1m: Math.round(loadavg()[0] * 100) / 100,
      duration_ms: Date.now() - began,
      rules: catalogue.ruleSet.rules.length,
      member: memberId,
      event_time:
        "parser's @timestamp kept: stampEvent is called without an event-time window (the collector's 30-day window would re-time these old corpora to their arrival); replayed in event-time order, batches of 500, the window store's clock following event time",
      corpora: {
        fail2ban_test_logs: fail2ban,
        elastic_auth_log: authLog,
        elastic_apache_log: apache,
        web_attack_payloads: payloads,
        otrf_windows: otrf,
      },
    })}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`bench:detect failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
