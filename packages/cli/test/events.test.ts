import { describe, expect, it } from 'vitest';
import { findEvent, findProvider, hasSpec, listEvents, providers, UsageError } from '../src/index.js';

describe('webhook and callback events', () => {
  it.each([
    ['its name', { provider: 'amio', given: 'MessageEcho', want: 'MessageEcho' }],
    ['its operationId', { provider: 'amio', given: 'onMessageEcho', want: 'MessageEcho' }],
    ['its discriminator value', { provider: 'amio', given: 'message_echo', want: 'MessageEcho' }],
    ['any case', { provider: 'volly', given: 'EMAIL.QUEUED', want: 'email.queued' }],
    ['a callback operationId', { provider: 'messente', given: 'onDeliveryReport', want: 'onDeliveryReport' }],
  ])('finds an event by %s', (_, { provider, given, want }) => {
    expect(findEvent(findProvider(provider), given).name).toBe(want);
  });

  it('suggests the closest event for a typo', () => {
    expect(() => findEvent(findProvider('volly'), 'email.queud')).toThrow(UsageError);
    expect(() => findEvent(findProvider('volly'), 'email.queud')).toThrow(/Did you mean "email\.queued"\?/);
  });

  it('tells callbacks from webhooks, with the group their package parser handles', () => {
    const callback = findEvent(findProvider('ocelot'), 'onSmsDeliveryStatus');
    expect(callback).toMatchObject({ kind: 'callback', group: 'sendSms.smsDeliveryStatus', deliveredTo: 'smsWebhookUri of sendSms', batched: true });
    expect(findEvent(findProvider('ocelot'), 'GlobalOptInOut')).toMatchObject({ kind: 'webhook', group: 'webhooks', batched: false });
  });

  it('has every example of an event, named, the first as default', () => {
    const echo = findEvent(findProvider('amio'), 'MessageEcho');
    expect(Object.keys(echo.examples)).toEqual(['general', 'amioChat', 'facebookMessenger', 'mobile']);
    for (const event of providers.filter(hasSpec).flatMap(listEvents)) expect(Object.keys(event.examples).length).toBeGreaterThan(0);
  });
});
