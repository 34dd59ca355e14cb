/** Enums of the mood journal (wellbeing.md §1). Postgres type names are the `*_ENUM` constants. */

export enum MoodLabel {
  VeryHappy = 'very_happy',
  Happy = 'happy',
  Excited = 'excited',
  Content = 'content',
  Neutral = 'neutral',
  Anxious = 'anxious',
  Frustrated = 'frustrated',
  Sad = 'sad',
  Angry = 'angry',
  VerySad = 'very_sad',
}
export const MOOD_LABEL_ENUM = 'mood_label';

export enum MoodEmotion {
  Joyful = 'joyful',
  Grateful = 'grateful',
  Calm = 'calm',
  Hopeful = 'hopeful',
  Proud = 'proud',
  Loved = 'loved',
  Relaxed = 'relaxed',
  Excited = 'excited',
  Tired = 'tired',
  Bored = 'bored',
  Lonely = 'lonely',
  Anxious = 'anxious',
  Stressed = 'stressed',
  Overwhelmed = 'overwhelmed',
  Sad = 'sad',
  Angry = 'angry',
  Frustrated = 'frustrated',
  Numb = 'numb',
}
export const MOOD_EMOTION_ENUM = 'mood_emotion';

export enum MoodSource {
  Manual = 'manual',
  CheckinPrompt = 'checkin_prompt',
}
export const MOOD_SOURCE_ENUM = 'mood_source';
