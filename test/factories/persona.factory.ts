import { randomBytes } from 'node:crypto';
import { PersonaDetailSection } from '../../src/modules/personas/entities/persona-detail-section.entity.js';
import { Persona } from '../../src/modules/personas/entities/persona.entity.js';
import type { TestApp } from '../setup/test-app.js';

/** An in-memory persona (nothing saved). */
export function buildPersona(overrides: Partial<Persona> & { ownerId: string }): Persona {
  return Object.assign(new Persona(), {
    name: `Persona ${randomBytes(3).toString('hex')}`,
    description: 'A traveller between worlds.',
    preferredTopics: [],
    avoidTopics: [],
    signaturePhrases: [],
    tags: [],
    isDefault: false,
    isPublic: false,
    ...overrides,
  });
}

/** Saves a persona, with optional detail sections (labels/contents in order). */
export async function createPersona(
  ctx: TestApp,
  overrides: Partial<Persona> & { ownerId: string },
  sections: { label: string; content: string }[] = [],
): Promise<Persona> {
  const persona = await ctx.ds.getRepository(Persona).save(buildPersona(overrides));
  if (sections.length) {
    await ctx.ds
      .getRepository(PersonaDetailSection)
      .insert(sections.map((s, position) => ({ personaId: persona.id, position, ...s })));
  }
  return persona;
}
