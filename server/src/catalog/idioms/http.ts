import { LanguageIdioms } from './types';

/** REST Client `.http` / `.rest` files: plain requests, no retry or loop constructs. */
export const httpIdioms: LanguageIdioms = {
  retryWrappers: [],
  iterationCallbacks: [],
  retryHelper: '',
};
