import { createContext } from 'hono/jsx';

/** The service as the deployer names it (SERVICE_NAME, SERVICE_LOGO): the header, the tab title, the footer. */
export interface Brand {
  name: string;
  /** The logo's address (our own `/assets/logo`, or the https image configured); none by default. */
  logo: string | null;
}

export const DEFAULT_BRAND: Brand = { name: 'Assistant de connexion ENT–PRONOTE', logo: null };

/** Given once by the server around a page, like the viewer's links; a page rendered without it gets the default. */
export const BrandContext = createContext<Brand>(DEFAULT_BRAND);
