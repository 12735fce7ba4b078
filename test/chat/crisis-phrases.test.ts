import { describe, expect, it } from 'vitest';
import {
  evaluateWatchedWords,
  isCrisisPhrase,
  rulesInForce,
  type WatchRule,
} from '../../src/moderation/watched-words.js';
import { matchText } from '../../src/moderation/match-text.js';
import { nicknameSkeleton } from '../../src/auth/nickname-skeleton.js';
import { CRISIS_PHRASES } from '../../src/safety/crisis-phrases.js';

// The safety baseline every subnet has, with nothing stored and nothing switched off.
const baseline = rulesInForce([], []);
const alertsOf = (body: string, rules = baseline) => evaluateWatchedWords(body, rules).alerts.map((a) => a.pattern);
const holdOf = (body: string, rules = baseline) => evaluateWatchedWords(body, rules).hold?.pattern ?? null;

describe('the crisis phrases every subnet alerts on', () => {
  it.each([
    ['Honestly I want to end it all, I cannot cope', 'end it all'],
    ['end   it ALL', 'end it all'],
    ['END.IT.ALL', 'end it all'],
    ['end-it-all tonight', 'end it all'],
    ['k1ll mys3lf', 'kill myself'],
    ['I might KILL MYSELF', 'kill myself'],
    ['ki\u200Bll myself', 'kill myself'],
    ['ugh kms', 'kms'],
    ['i just want to die', 'want to die'],
    ['I wanna die', 'want to die'],
    ['suicide', 'suicide'],
    ['feeling suicidal again', 'suicide'],
    ['sucidal thoughts', 'suicide'],
    ['$uicide', 'suicide'],
    ['5u1c1de', 'suicide'],
    ['ѕuicide', 'suicide'], // Cyrillic ѕ
    ['ｓｕｉｃｉｄｅ', 'suicide'], // full width
    ['süicide', 'suicide'],
    ['self harm', 'self harm'],
    ['self-harm', 'self harm'],
    ['selfharm', 'self harm'],
    ['Self—Harming', 'self harm'],
    ['I cut myself last night', 'cut myself'],
    ['thinking about an overdose', 'overdose'],
    ['I want to OD', 'overdose'],
    ['going to 0d', 'overdose'],
    ['I would rather not be here anymore', 'not be here anymore'],
    ["I don't want to be here anymore", 'not be here anymore'],
    ['everyone would be better off without me', 'better off without me'],
    ['I want to take my own life', 'take my own life'],
    ["I don't want to live", "don't want to live"],
    ['h@ng myself', 'hang myself'],
    ['unalive myself', 'unalive'],
  ])('alerts: %s -> %s', (body, phrase) => {
    expect(alertsOf(body)).toEqual([phrase]);
    expect(holdOf(body)).toBeNull(); // delivered: the sender is supported, not silenced
  });

  it.each([
    'I had a good day',
    'the legend it allows', // the words, not whole words
    'I cut myself a slice of cake',
    'I cut myself off from the group chat',
    'I ran 5 kms today',
    'did 10kms on the bike',
    'I nearly killed myself laughing',
    'I will kill myself laughing if he says that again',
    'the odd one out',
    'self-help books',
    'I am dying to see the new film', // not on the list: "want to die" is
  ])('ordinary words do not alert: %s', (body) => {
    expect(alertsOf(body)).toEqual([]);
  });

  it('a crisis phrase alerts even in a figure of speech ("end it all with this essay"): a false alarm costs a look, a miss can cost a life', () => {
    expect(alertsOf('I want to end it all with this essay')).toEqual(['end it all']);
  });

  it('every crisis phrase and variant on the list alerts as written, in capitals and with look-alikes', () => {
    for (const p of CRISIS_PHRASES) {
      for (const form of [p.phrase, ...(p.variants ?? [])]) {
        expect(alertsOf(`so ${form} now`), form).toEqual([p.phrase]);
        expect(alertsOf(`SO ${form.toUpperCase().replace(/E/g, '3').replace(/O/g, '0')} NOW`), form).toEqual([
          p.phrase,
        ]);
      }
    }
  });

  it('matching text folds case, spacing, punctuation and look-alikes, and keeps bare numbers', () => {
    expect(matchText('  K1ll   MYS3LF!! ')).toBe(matchText('kill myself'));
    expect(matchText("Don't")).toBe(matchText('dont'));
    expect(matchText('ran 5 kms')).toContain(' 5 ');
    expect(matchText('I AM W1LLOW')).toBe(` ${nicknameSkeleton('I AM W1LLOW')} `); // plain ASCII takes a shortcut to the same skeleton
  });

  it('the crisis alerts cannot be switched off, and a stored copy of one alerts once', () => {
    const everythingOff = rulesInForce([], ['email', 'phone', 'link', 'handle', 'crisis-phrases', 'end it all']);
    expect(alertsOf('I want to end it all', everythingOff)).toEqual(['end it all']);
    const copy: WatchRule = { id: 9, kind: 'phrase', pattern: 'End it all', action: 'alert' };
    expect(alertsOf('I want to end it all', rulesInForce([copy], []))).toEqual(['end it all']);
    expect(isCrisisPhrase('Self-Harm')).toBe(true);
    expect(isCrisisPhrase('purging again')).toBe(false);
  });
});

describe('the contact details every subnet holds', () => {
  it.each([
    ['find me on insta @willow_recovers', 'handle'],
    ['@willow_recovers', 'handle'],
    ['my snap is willow_r', 'handle'],
    ['add me on discord willow#1234', 'handle'],
    ['follow me on instagram willowrecovers', 'handle'],
    ['my snapchat: willowr', 'handle'],
    ['tik tok @willow', 'handle'],
    ['kik me at willow.r', 'handle'],
    ['my telegram username is willowr', 'handle'],
    ['ig willow_r', 'handle'],
    ['example.com', 'link'],
    ['find me at willow.co', 'link'],
    ['linktr.ee/willow', 'link'],
    ['willow dot com', 'link'],
    ['www.example.org', 'link'],
    ['my email is sam@example.com', 'email'],
    ['ring me on 07700 900 123', 'phone'],
  ])('holds: %s -> %s', (body, detector) => {
    expect(holdOf(body)).toBe(detector);
  });

  it.each([
    'meet @ 5pm',
    'see you @5pm',
    'group starts @10:30',
    'e.g. breathing exercises',
    'i.e. not today',
    'my insta is private now',
    "I'm on TikTok too",
    'message me on WhatsApp later',
    'find me on insta if you want',
    'ig it is fine',
    'I took a snap of the view',
    'see you at 3',
    'room 101 was quiet',
  ])('ordinary words are not held: %s', (body) => {
    expect(holdOf(body)).toBeNull();
  });

  it('a hold the subnet switched off no longer holds; the others still do', () => {
    const handlesOff = rulesInForce([], ['handle']);
    expect(holdOf('find me on insta @willow_recovers', handlesOff)).toBeNull();
    expect(holdOf('example.com', handlesOff)).toBe('link');
  });
});
