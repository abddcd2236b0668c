#!/usr/bin/env bash
# Makes sure the tools the tests drive are installed: Debian's Chromium at /usr/bin/chromium
# for the browser tests (vitest browser mode drives it through playwright; `npx playwright
# install` cannot download here), and the openssl command, the second opinion of the
# device-verification differential test. Quick when both are there: no network.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
missing=()
[[ -x "$CHROMIUM" ]] || missing+=(chromium)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "ensure-tools: ${missing[*]} missing and this is not root, so they cannot be installed." >&2
  echo "ensure-tools: install them as root, e.g.:" >&2
  echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tools: ${missing[*]} missing and apt-get is not available (not Debian?); install them by other means." >&2
  exit 1
fi

echo "ensure-tools: installing ${missing[*]} with apt-get" >&2
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"

if [[ ! -x "$CHROMIUM" ]] || ! command -v openssl >/dev/null 2>&1; then
  echo "ensure-tools: apt-get finished but Chromium or openssl is still missing." >&2
  exit 1
fi
echo "ensure-tools: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium), $(openssl version)" >&2
