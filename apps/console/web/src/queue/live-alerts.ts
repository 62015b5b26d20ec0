import { useEffect, useRef, useState } from 'react';
import type { Alert } from '../api';

/** alerting's `GET /live/alerts` through the console's proxy (server-sent events, the session cookie). */
export const liveAlertsUrl = '/api/alerting/live/alerts';

/**
 * Subscribes to the live alerts of the signed-in person's scope while the page is shown: each
 * `alert` event is one alert that appeared or changed (the generated client's `Alert`, as
 * `GET /alerts` lists it). The browser's EventSource reconnects by itself, with Last-Event-ID,
 * when the server ends the stream (every 240 s) or the network drops it.
 */
export function useLiveAlerts(onAlert: (alert: Alert) => void): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onAlert);
  handler.current = onAlert;
  useEffect(() => {
    const source = new EventSource(liveAlertsUrl);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('alert', (event) => {
      try {
        handler.current(JSON.parse((event as MessageEvent<string>).data) as Alert);
      } catch {
        // A malformed event is dropped: the next reload of the queue shows the alert anyway.
      }
    });
    return () => source.close();
  }, []);
  return connected;
}
