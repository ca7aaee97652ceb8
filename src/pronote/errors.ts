/** The failures of the PRONOTE port that a person must be told about, each with its French message. */
import type { PronoteAccount, Publication } from './model.js';

/** A failure a person must be told about, with its French message. */
export class PronoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class SchoolNotFoundError extends PronoteError {
  constructor(readonly uai: string) {
    super(`Aucun établissement ${uai} dans la base.`);
  }
}

export class AccountNotFoundError extends PronoteError {
  constructor(
    readonly uai: string,
    readonly accountId: string,
  ) {
    super(`Ce compte n’existe pas (ou plus) dans la base PRONOTE de l’établissement ${uai}.`);
  }
}

export class AuditEntryNotFoundError extends PronoteError {
  constructor(readonly auditId: string) {
    super('Cette correction est introuvable dans le journal.');
  }
}

/**
 * A record changed since it was read: nothing was written. Carries the records as they are now, so the
 * person can see what changed before trying again.
 */
export class ConflictError extends PronoteError {
  constructor(
    readonly accounts: PronoteAccount[],
    readonly publication: Publication | null = null,
  ) {
    super(
      'Ces données ont été modifiées entre-temps (par une autre personne ou dans PRONOTE) : rien n’a été écrit. Vérifiez leur état actuel avant de recommencer.',
    );
  }
}

/** « Accès à l'Espace Parents » belongs to responsables only. */
export class NotAResponsableError extends PronoteError {
  constructor(readonly account: Pick<PronoteAccount, 'id' | 'profile'>) {
    super('L’accès à l’Espace Parents ne se règle que sur la fiche d’un responsable.');
  }
}

/** The entry or batch was undone already. */
export class AlreadyUndoneError extends PronoteError {
  constructor(readonly auditId: string) {
    super('Cette correction a déjà été annulée.');
  }
}

/** Another account of the school already holds that login in « Identifiant CAS ». */
export class CasIdTakenError extends PronoteError {
  constructor(
    readonly casId: string,
    readonly holder: Pick<PronoteAccount, 'id' | 'nom' | 'prenom' | 'profile'>,
  ) {
    super(
      `L’identifiant CAS « ${casId} » est déjà attribué à ${holder.nom} ${holder.prenom} : retirez-le de ce compte avant de l’attribuer à un autre.`,
    );
  }
}

export class SchoolExistsError extends PronoteError {
  constructor(readonly uai: string) {
    super(`L’établissement ${uai} est déjà dans la base : ajoutez --replace pour remplacer ses données.`);
  }
}
