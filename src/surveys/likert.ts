/** The five-point agreement scale of a likert question, from 1 (strongly disagree) to 5. */
export const LIKERT = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];
