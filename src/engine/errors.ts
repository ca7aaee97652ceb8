/**
 * Errors the engine raises for a person's mistake or a situation they must be told about. Each carries
 * its HTTP status and a French message; the server turns them into a page or a JSON body in one place.
 */
export class EngineError extends Error {
  constructor(
    readonly status: 404 | 409 | 410 | 422 | 503,
    message: string,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class SessionNotFound extends EngineError {
  constructor() {
    super(
      404,
      'Cette session est introuvable. Le lien est peut-être incomplet : recommencez depuis l’accueil.',
    );
  }
}

export class StepNotFound extends EngineError {
  constructor() {
    super(404, 'Cette étape n’existe pas dans cette session.');
  }
}

export class EventRejected extends EngineError {
  constructor(message: string, fieldErrors: Record<string, string> = {}) {
    super(422, message, fieldErrors);
  }
}

export class SessionChanged extends EngineError {
  constructor() {
    super(
      409,
      'La session a avancé entre-temps (dans un autre onglet ou par une autre personne). Voici l’étape où elle en est : vérifiez avant de répondre.',
    );
  }
}

export class SessionOutdated extends EngineError {
  constructor() {
    super(
      410,
      'Cette session a été commencée avec une version précédente de l’assistant et ne peut pas être reprise telle quelle. Son historique reste consultable ; recommencez le parcours pour continuer.',
    );
  }
}

export class CheckTimedOut extends EngineError {
  constructor() {
    super(
      503,
      'La vérification n’a pas répondu à temps. Rien n’a été enregistré : réessayez dans un instant.',
    );
  }
}

export class SessionFull extends EngineError {
  constructor(max: number) {
    super(
      409,
      `Cette session compte déjà ${max} réponses, le maximum : elle ne peut pas aller plus loin. Commencez une nouvelle session depuis l’accueil ; celle-ci reste consultable avec son lien.`,
    );
  }
}
