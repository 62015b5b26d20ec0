#!/usr/bin/env bash
# Tools the e2e tests drive as real senders: util-linux `logger` and `rsyslogd` (with TLS and RELP
# support) running the shipped forwarder configurations, and Chromium and poppler for the KL
# report. Installs what is missing with apt when running as root; otherwise says what to install.
set -euo pipefail

missing=()
command -v logger >/dev/null 2>&1 || missing+=(bsdutils)
command -v rsyslogd >/dev/null 2>&1 || missing+=(rsyslog)
dpkg -s rsyslog-gnutls >/dev/null 2>&1 || missing+=(rsyslog-gnutls)
dpkg -s rsyslog-relp >/dev/null 2>&1 || missing+=(rsyslog-relp)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The KL report's PDF (headless Chromium) and its e2e checks (pdftotext, pdftoppm).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[test-tools] installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null
else
  echo "[test-tools] missing: ${missing[*]} (install them with apt-get; the syslog e2e tests need them)" >&2
  exit 1
fi
