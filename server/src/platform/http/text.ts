import { z } from 'zod';

/**
 * Bidirectional controls (ALM, LRM, RLM, the embeddings, overrides and isolates): invisible, and able to
 * make a name read backwards (`\u202e` turns "gpj.exe" into "exe.jpg") or look like another one.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** A character a person sees: not blank, not a control or format character, not a lone combining mark, not unassigned or private. */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Mn}\p{Me}\u2800]/u;
const CONTROL = /\p{Cc}/u;

export const stripBidiControls = (s: string) => s.replace(BIDI_CONTROLS, '');
export const hasVisibleCharacter = (s: string) => VISIBLE.test(s);

const notReadable = { params: { code: 'name_not_readable' } } as const;
const hasControl = { params: { code: 'text_control_character' } } as const;

/** The text of a name, before its length: direction controls removed, blanks trimmed; no control characters. */
const nameText = () =>
  z
    .string()
    .overwrite(stripBidiControls)
    .trim()
    .refine((s) => !CONTROL.test(s), hasControl);

/**
 * A name a person can read (a customer, a key person, a unit, a user, a role, a catalogue item, a saved
 * filter): at least one visible character, at most `max` characters, no bidi control stored.
 */
export const readableName = (max: number) =>
  nameText()
    .min(1)
    .max(max)
    .refine((s) => s.length === 0 || hasVisibleCharacter(s), notReadable);

/** A name that may be left out or emptied (`null`, `""`); when given, readable as `readableName`. */
export const optionalReadableName = (max: number) =>
  nameText()
    .max(max)
    .refine((s) => s.length === 0 || hasVisibleCharacter(s), notReadable)
    .nullish();
