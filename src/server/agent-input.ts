import { z } from 'zod';

const UAI = /^\d{7}[A-Z]$/;

export const agentName = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9._-]{2,64}$/, {
    error: 'Identifiant invalide : 2 à 64 lettres, chiffres, points ou tirets.',
  });

/** "*" for every school, else UAI codes separated by commas or spaces. */
export const schoolList = z
  .string()
  .trim()
  .transform((value, ctx): string[] | 'all' => {
    if (value === '*') return 'all';
    const codes = value
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((s) => s.toUpperCase());
    const bad = codes.filter((s) => !UAI.test(s));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `Code UAI invalide : ${bad.join(', ')} (7 chiffres et une lettre).`,
      });
      return z.NEVER;
    }
    return codes;
  });

export const newPassword = z
  .object({
    /** Asked once the agent has a password; empty for the first one. */
    current: z.string().max(200).default(''),
    password: z.string().min(12, { error: 'Le mot de passe doit faire au moins 12 caractères.' }).max(200),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    error: 'Les deux mots de passe ne sont pas identiques.',
    path: ['confirm'],
  });
