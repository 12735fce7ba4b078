/**
 * The generated words: everyday peer support, plainly fictional and safe to show. No numbers (the
 * eating-disorder rooms hold them), no contact details, no links. The few lines that a moderator
 * demo needs (a held message, an alert on the demo's own watched phrase) are kept apart below.
 */

export const OPENERS = [
  'Evening everyone, how has today been?',
  'Anyone else find the evenings the hardest part?',
  'Small win today: I went for a walk instead of staying in.',
  'Can I ask how people handle family meals at the weekend?',
  'Had my appointment this morning and feel wiped out.',
  'Not sleeping again, is anyone else up?',
  'I tried the breathing exercise from the library and it helped a bit.',
  'Back again after a rough week. Nice to see familiar names.',
  'Does it get easier to tell friends what is going on?',
  'Woke up feeling hopeful for once. Holding on to it.',
  'Quiet in here tonight. Just saying hello.',
  'First time posting. I have been reading for a while.',
  'Today was one of the hard ones, but I am still here.',
  'What helps you when your head gets noisy?',
  'Managed a meal out with my partner. Felt strange but good.',
];

export const RESPONSES = [
  'That sounds like a real step. Well done.',
  'Same here. Evenings are tough for me too.',
  'Welcome. Glad you said hello.',
  'Sending you a wave. You are not on your own with this.',
  'What helps me is writing it down before bed.',
  'I had a week like that last month. It did pass.',
  'Thank you for sharing that, it helps to read.',
  'My care coordinator suggested a routine for mornings and it helps.',
  'Be kind to yourself tonight.',
  'I found the video on sleep in the television room useful.',
  'Telling my sister was hard but she was lovely about it.',
  'Proud of you for getting through the day.',
  'Going to try that tomorrow, thanks.',
  'Same, I keep a list of small things that went well.',
  'Have a cup of tea and a gentle night, everyone.',
  'I am a bit further along and it does get easier, honestly.',
  'Good to see you back.',
  'That made me smile.',
];

export const STAFF_LINES = [
  'Hello everyone, I am on duty this evening if anyone would like to talk.',
  'Lovely to see people supporting each other here.',
  'A reminder that the library has a new piece on coping with weekends.',
  'If tonight feels too much, the crisis contacts are at the top of every page.',
  'Well done for reaching out, that takes courage.',
  'I will be around until the end of the shift, just say hello.',
];

/** Lines the eating-disorder rooms' numbers rule holds for a moderator (numbers next to units). */
export const HELD_LINES = [
  'My jeans went from a size 10 to a 12 and I panicked.',
  'The plan says 2000 kcal now and it scares me.',
  'Weighed myself again, 50 kg, and now I feel awful.',
];

/** Lines with the demo Eating Disorders service's own alert phrase (staff are alerted). */
export const ALERT_LINES = [
  'Bad night. I am purging again and I do not know who to tell.',
  'I think I am purging again after tea most days.',
];

export const REPORT_REASONS = [
  'This might upset people in treatment',
  'I think they need support from the team',
  'Unkind to another member',
];

export const THREADS: [title: string, body: string][] = [
  [
    'What happens at a first appointment?',
    'I have my first appointment soon. What should I expect, and can I bring someone?',
  ],
  ['Coping with weekends', 'Weekdays have structure but weekends fall apart for me. What do people do?'],
  ['Talking to my employer', 'Has anyone told their manager about their treatment? How did it go?'],
  ['Meal plans when eating out', 'We have a family birthday coming up at a restaurant. Any tips?'],
  ['Sleep routine ideas', 'My sleep is all over the place. What routines have worked for you?'],
  ['Feeling stuck on the waiting list', 'It feels like a long wait. How are others keeping going?'],
  ['Good books or podcasts?', 'Looking for something gentle to read or listen to in the evenings.'],
  ['Supporting a partner', 'My partner is struggling and I do not know what to say. Where do I start?'],
  ['Going back to college', 'Nervous about going back after time off. Anyone been through it?'],
  ['Bad days after good weeks', 'Had a good run and then a bad day. Does that mean I am going backwards?'],
];

export const THREAD_REPLIES = [
  'I had the same question. Following this.',
  'What worked for me was planning the day the night before.',
  'It helped me to take someone with me the first time.',
  'You are not going backwards. Bad days happen in recovery.',
  'I wrote a short note to read out, it made it easier.',
  'Thank you for asking this, I have wondered too.',
];

export const STAFF_REPLIES = [
  'Thank you for asking. The team is happy to talk this through at your next appointment, and there is a piece on it in the library.',
  'A good question. Many people find it helps to plan ahead with someone they trust. We can go through it together.',
  'Thanks for posting. Bad days are part of recovery and do not undo your progress. Do bring it to your next session.',
  'You are welcome to bring someone with you. Let the team know beforehand if that would help.',
];

export const CARE_MEMBER = [
  'Could we talk about my meal plan at the next session?',
  'I had a harder week than usual and wanted you to know.',
  'Is it all right to move my appointment to later in the day?',
  'Thank you for last time, it helped.',
  'I have questions about the medication leaflet.',
  'Things are a bit better this week.',
];

export const CARE_STAFF = [
  'Thank you for letting us know. We will go through it at your next appointment.',
  'Of course, I have asked the admin team to offer you a later time.',
  'Glad it helped. Keep in touch here if anything changes before then.',
  'Thanks for the update. If things get harder, the crisis contacts are at the top of the page.',
  'Good to hear. Let us look at it together next week.',
];

export const SURVEY_COMMENTS = [
  'The evening chats helped me feel less alone.',
  'Knowing someone from the team reads the noticeboard made a difference.',
  'I would like more videos.',
  'It helped to talk to people who understand.',
];
