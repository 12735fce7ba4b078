/** Demo library items and the First Step video: short, plain, and clearly marked as demo content. */

export interface DemoItem {
  subnet: string;
  room: string;
  title: string;
  summary: string;
  body: string;
  source: string;
  /** Days ago it was reviewed, and days from now until the next review (negative: overdue). */
  reviewedDaysAgo: number;
  nextReviewInDays: number;
}

export const DEMO_ITEMS: DemoItem[] = [
  {
    subnet: 'first-step',
    room: 'First Step library',
    source: 'The trust',
    title: 'What to expect from your first appointment',
    summary: 'Who you will meet, how long it takes, and what you can bring.',
    reviewedDaysAgo: 30,
    nextReviewInDays: 335,
    body: `## Before the appointment

We will write to you with the date, the time and the place, or a video link. If the time does not suit you, call the number on the letter and we will find another.

## On the day

* The first appointment usually lasts about an hour.
* You will meet a clinician from the team. You can bring someone with you if you would like.
* We will ask about what has been happening, what you would like help with, and what matters to you.

## Afterwards

Together we will agree what happens next. Until then, this network is here for you, day and night.

_This is demonstration content for SHaRON._`,
  },
  {
    subnet: 'first-step',
    room: 'First Step library',
    source: 'NHS',
    title: 'Looking after yourself while you wait',
    summary: 'Small, practical things that can help while you wait for treatment.',
    reviewedDaysAgo: 60,
    nextReviewInDays: 305,
    body: `## Keep to a routine

Regular meals, sleep and a little time outside can make the wait easier.

## Stay connected

Talk to people you trust. The noticeboard here is a safe place to ask the team a question.

## If things get worse

* Call NHS 111 and choose option 2 for mental health crisis support.
* Call Samaritans free on 116 123, any time.
* In an emergency, call 999.

_This is demonstration content for SHaRON._`,
  },
  {
    subnet: 'first-step',
    room: 'First Step library',
    source: 'NICE',
    title: 'Eating disorders: recognising the signs',
    summary: 'About eating disorders, for people waiting for an assessment.',
    reviewedDaysAgo: 400,
    nextReviewInDays: -35,
    body: `Eating disorders are serious mental illnesses. They can affect anyone, of any age, gender or background.

## Common signs

* Worrying a lot about weight, shape or food.
* Eating very little, or eating a lot in a short time and feeling out of control.
* Making yourself sick or exercising too much.

Recovery is possible, and getting help early makes a difference.

_This is demonstration content for SHaRON._`,
  },
  {
    subnet: 'eating-disorders',
    room: 'Eating disorders library',
    source: 'Beat',
    title: 'Coping with difficult evenings',
    summary: 'Ideas from people in recovery for the hours after services close.',
    reviewedDaysAgo: 90,
    nextReviewInDays: 275,
    body: `## Plan ahead

Write down two or three things that have helped before, and keep the list somewhere you will see it.

## Reach out

The living room is open all night. You do not have to say much: being with others who understand can help.

_This is demonstration content for SHaRON._`,
  },
  {
    subnet: 'eating-disorders',
    room: 'Eating disorders library',
    source: 'The trust',
    title: 'Meal support at home: a guide for the first weeks',
    summary: 'How meal plans work and how to ask for support.',
    reviewedDaysAgo: 20,
    nextReviewInDays: 345,
    body: `Your meal plan is agreed with your dietitian. Meals and snacks are spread through the day.

## Asking for support

Tell someone you trust which meals are hardest. Staff on the noticeboard can answer questions about your plan.

_This is demonstration content for SHaRON._`,
  },
];

export const DEMO_VIDEO = {
  subnet: 'first-step',
  room: 'First Step television',
  title: 'Welcome to First Step',
  description: 'A short welcome for people waiting for their first appointment (demonstration video).',
  transcript:
    'Welcome to First Step. While you wait for your first appointment, this network is here for you, day and night.',
  files: {
    video: { file: 'first-step-welcome.webm', mime: 'video/webm', storage: 'demo-first-step-welcome-video' },
    poster: { file: 'first-step-welcome-poster.png', mime: 'image/png', storage: 'demo-first-step-welcome-poster' },
    captions: { file: 'first-step-welcome.vtt', mime: 'text/vtt', storage: 'demo-first-step-welcome-captions' },
  },
} as const;
