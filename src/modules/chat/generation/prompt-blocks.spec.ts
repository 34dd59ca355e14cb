import { KnowledgePosition } from '../../knowledge/knowledge.enums.js';
import {
  type BotFields,
  cutAtSentence,
  fitMemories,
  HEADERS,
  joinBlocks,
  memoryLine,
  type PersonaFields,
  personaSwitchLine,
  pronounPhrase,
  renderBotBlock,
  renderParticipantsBlock,
  renderPersonaBlock,
  renderUserBlock,
  traitPhrases,
} from './prompt-blocks.js';

const names = { char: 'Mira', user: 'Alex' };
const count = (t: string) => Math.ceil([...t].length / 4);

const bot = (over: Partial<BotFields> = {}): BotFields =>
  ({
    name: 'Mira',
    gender: 'female',
    age: 30,
    description: 'A ship captain who talks to {{user}}.',
    systemPrompt: 'You are {{char}}.',
    speechExamples: ['Aye, {{user}}!'],
    signaturePhrases: ['Full sail'],
    tone: 'playful',
    humor: 'none',
    responseLength: 'short',
    ...over,
  }) as BotFields;

const persona = (over: Partial<PersonaFields> = {}): PersonaFields =>
  ({
    name: 'Alex',
    pronouns: 'other',
    customPronouns: 'xe/xem',
    gender: null,
    age: 25,
    description: 'A traveller.',
    appearanceDescription: null,
    personality: 'Curious',
    backstory: null,
    preferredTopics: ['maps'],
    avoidTopics: [],
    customInstructions: 'Call me captain.',
    detailSections: [
      { label: 'Home', content: 'Harbour town', position: 1 },
      { label: 'Job', content: 'Cartographer', position: 0 },
    ],
    ...over,
  }) as PersonaFields;

describe('prompt blocks (api-keys.md §6.3, knowledge.md §4.1)', () => {
  it('renders trait enums as short phrases', () => {
    expect(
      traitPhrases({ tone: 'playful' as never, humor: 'none' as never, formality: 'very_casual' as never }),
    ).toEqual(['playful tone', 'very casual formality', 'no humor']);
    expect(pronounPhrase('she_her', null)).toBe('she/her');
    expect(pronounPhrase('other', 'xe/xem')).toBe('xe/xem');
    expect(pronounPhrase(null, null)).toBeNull();
  });

  it('orders the bot block: system prompt, before_character, character, after_character, before_examples, examples, after_examples', () => {
    const text = renderBotBlock(
      bot(),
      {
        [KnowledgePosition.BeforeCharacter]: ['LORE-BC'],
        [KnowledgePosition.AfterCharacter]: ['LORE-AC'],
        [KnowledgePosition.BeforeExamples]: ['LORE-BE'],
        [KnowledgePosition.AfterExamples]: ['LORE-AE {{char}}'],
      },
      names,
    );
    const order = [
      'You are Mira.',
      'LORE-BC',
      'Name: Mira',
      'Gender: female',
      'Age: 30',
      'Description: A ship captain who talks to Alex.',
      'Personality: playful tone, no humor, short replies',
      'LORE-AC',
      'LORE-BE',
      '- Aye, Alex!',
      'Signature phrases: "Full sail"',
      'LORE-AE Mira',
    ].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('leaves out empty fields', () => {
    const text = renderBotBlock(
      bot({
        gender: null,
        age: null,
        description: null,
        speechExamples: [],
        signaturePhrases: [],
        tone: null,
        humor: null,
        responseLength: null,
      }),
      {},
      names,
    );
    expect(text).toBe('You are Mira.\nName: Mira');
  });

  it('renders the persona with sections in position order and custom instructions', () => {
    const text = renderPersonaBlock(persona(), names);
    expect(text).toContain('Name: Alex');
    expect(text).toContain('Pronouns: xe/xem');
    expect(text.indexOf('Job: Cartographer')).toBeLessThan(text.indexOf('Home: Harbour town'));
    expect(text).toContain('Likes to talk about: maps');
    expect(text).toContain('Instructions from the user: Call me captain.');
  });

  it('renders a user without persona from nickname ?? display name ?? username, never the email', () => {
    const user = {
      nickname: null,
      displayName: 'Alex D',
      username: 'alex',
      pronouns: 'they_them',
      customPronouns: null,
      aboutMe: 'Likes tea.',
      email: 'alex@example.test',
    } as never;
    const text = renderUserBlock(user, names);
    expect(text).toBe('Name: Alex D\nPronouns: they/them\nAbout: Likes tea.');
    expect(text).not.toContain('@');
  });

  it('lists the other bots and tells the model to answer only as the replying one', () => {
    const text = renderParticipantsBlock(
      [
        { name: 'Rook', description: 'A grumpy\nparrot.' },
        { name: 'Ash', description: null },
      ],
      'Mira',
      names,
    );
    expect(text).toBe("- Rook: A grumpy parrot.\n- Ash\nAnswer only as Mira; never write the other characters' lines.");
    expect(renderParticipantsBlock([], 'Mira', names)).toBe('');
    expect(personaSwitchLine(['Alex', 'Sam'])).toContain('Alex, Sam');
  });

  it('writes memories as `- (importance n) content [emotions]`', () => {
    expect(memoryLine({ content: 'Likes  tea', importance: 7, emotionalContext: 'joy, warmth' })).toBe(
      '- (importance 7) Likes tea [joy, warmth]',
    );
    expect(memoryLine({ content: 'Has a cat', importance: 4, emotionalContext: null })).toBe(
      '- (importance 4) Has a cat',
    );
  });

  it('drops the lowest-importance memories first and keeps the retrieval order', () => {
    const mems = [
      { id: 'a', content: 'x'.repeat(40), importance: 5, emotionalContext: null },
      { id: 'b', content: 'y'.repeat(40), importance: 9, emotionalContext: null },
      { id: 'c', content: 'z'.repeat(40), importance: 3, emotionalContext: null },
    ];
    const all = count(`${HEADERS.memories}\n${mems.map(memoryLine).join('\n')}`);
    expect(fitMemories(mems, all, count).kept.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(fitMemories(mems, all - 1, count).kept.map((m) => m.id)).toEqual(['a', 'b']);
    expect(fitMemories(mems, 20, count).kept.map((m) => m.id)).toEqual(['b']);
    expect(fitMemories(mems, 1, count).kept).toEqual([]);
  });

  it('cuts the summary at a sentence boundary', () => {
    const summary = 'First part here. Second part is longer! Third one?';
    expect(cutAtSentence(summary, 100, count)).toBe(summary);
    expect(cutAtSentence(summary, count('First part here. Second part is longer!'), count)).toBe(
      'First part here. Second part is longer!',
    );
    expect(cutAtSentence(summary, 5, count)).toBe('First part here.');
    expect(cutAtSentence(summary, 2, count)).toBe('');
  });

  it('joins non-empty blocks with their header lines', () => {
    expect(
      joinBlocks([
        { name: 'preamble', header: '', body: 'Be kind.' },
        { name: 'bot', header: HEADERS.bot, body: 'You are Mira.' },
        { name: 'memories', header: HEADERS.memories, body: '  ' },
      ]),
    ).toBe(`Be kind.\n\n${HEADERS.bot}\nYou are Mira.`);
  });
});
