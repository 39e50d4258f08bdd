// Proves that the browser tests never skip silently: under CI=true a missing Chromium is a
// failure (no skip, and the launch names what is missing); elsewhere the skip carries a reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHROMIUM, requireChromium, skipWithoutChromium } from './chromium.js';

const missing = (): boolean => false;
const present = (): boolean => true;

describe('browser tests and a missing Chromium', () => {
  it('under CI=true nothing skips, and the launch fails with a plain sentence', () => {
    assert.equal(skipWithoutChromium({ CI: 'true' }, missing), false);
    assert.throws(() => requireChromium(missing), /No Chromium at .*apt-get install chromium/);
  });

  it('elsewhere the suite is skipped with a reason that says how to install it', () => {
    const reason = skipWithoutChromium({}, missing);
    assert.equal(typeof reason, 'string');
    assert.match(String(reason), /SKIPPED: no Chromium at .*under CI=true this fails/);
  });

  it('with Chromium installed the suite runs', () => {
    assert.equal(skipWithoutChromium({ CI: 'true' }, present), false);
    assert.equal(skipWithoutChromium({}, present), false);
    assert.equal(requireChromium(present), CHROMIUM);
  });
});
