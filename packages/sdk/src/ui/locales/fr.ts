import type { LivenessStrings } from "../liveness-strings.ts";

/**
 * French texts of `<lumen-liveness>`.
 *
 * @example
 * ```ts
 * fr.start; // "Commencer la vérification"
 * ```
 */
export const fr: LivenessStrings = {
  title: "Vérification du visage",
  intro:
    "Nous allons vérifier que vous êtes bien présent devant votre caméra. Cela prend environ 20 secondes.",
  start: "Commencer la vérification",
  cancel: "Annuler",
  retry: "Réessayer",
  progressLabel: "Progression de la vérification",
  warningTitle: "Avertissement de photosensibilité",
  warningBody:
    "Pendant la vérification, votre écran va clignoter de plusieurs couleurs. Si vous êtes atteint d'épilepsie photosensible ou sensible aux lumières clignotantes, choisissez la vérification sans clignotement.",
  warningConfirm: "Continuer avec clignotements",
  warningDecline: "Vérifier sans clignotement",
  noFlashRequested: "Une vérification sans clignotement a été demandée.",
  flashing: "Ne bougez pas et regardez l'écran pendant qu'il change de couleur.",
  states: {
    "checking-support": "Vérification de votre navigateur…",
    "opening-camera": "Ouverture de la caméra…",
    "loading-models": "Préparation de la vérification…",
    positioning: "Placez votre visage dans l'ovale.",
    challenge: "Suivez les instructions à l'écran.",
    uploading: "Envoi du résultat…",
  },
  hints: {
    "no-face": "Aucun visage détecté. Placez votre visage dans l'ovale.",
    "several-faces": "Plusieurs visages sont visibles. Assurez-vous d'être seul à l'image.",
    "too-far": "Rapprochez-vous de la caméra.",
    "too-close": "Éloignez-vous un peu de la caméra.",
    "off-oval": "Centrez votre visage dans l'ovale.",
    "hold-still": "Bien. Ne bougez plus.",
    "pose-left": "Tournez lentement la tête vers la gauche.",
    "pose-right": "Tournez lentement la tête vers la droite.",
    "pose-up": "Levez lentement la tête.",
    "pose-down": "Baissez lentement la tête.",
    "pose-reached": "Bien. Gardez cette position.",
  },
  quality: {
    "too-dark":
      "L'image est trop sombre. Allez dans un endroit plus éclairé ou allumez une lumière.",
    "too-bright": "L'image est trop claire. Éloignez-vous de la lumière directe.",
    blurry: "L'image est floue. Ne bougez pas et essuyez l'objectif de la caméra.",
    "turned-away": "Regardez la caméra bien en face.",
  },
  results: {
    pass: "Vérification terminée. Merci.",
    fail: "Nous n'avons pas pu confirmer la vérification.",
    retry: "La vérification n'était pas assez claire. Veuillez réessayer.",
  },
  errors: {
    CAMERA_DENIED:
      "L'accès à la caméra a été bloqué. Autorisez la caméra dans les réglages du navigateur, puis réessayez.",
    CAMERA_NOT_FOUND: "Aucune caméra trouvée. Branchez une caméra, puis réessayez.",
    CAMERA_IN_USE: "La caméra est utilisée par une autre application. Fermez-la, puis réessayez.",
    UNSUPPORTED_BROWSER:
      "Ce navigateur ne peut pas effectuer la vérification. Utilisez une version récente de Chrome, Edge, Firefox ou Safari.",
    WORKER_CRASHED: "La vérification s'est arrêtée de façon inattendue. Veuillez réessayer.",
    MODEL_INTEGRITY_FAILED:
      "Les fichiers de la vérification n'ont pas pu être contrôlés : elle a été arrêtée pour votre sécurité. Réessayez plus tard.",
    MODEL_NOT_FOUND:
      "Les fichiers de la vérification n'ont pas pu être chargés. Réessayez plus tard.",
    NETWORK_FAILED: "La connexion a été perdue. Vérifiez votre connexion, puis réessayez.",
    CANCELLED: "La vérification a été annulée.",
    SESSION_EXPIRED: "Cette vérification a expiré. Veuillez recommencer.",
    RATE_LIMITED: "Trop de tentatives. Patientez un instant, puis réessayez.",
    BUSY: "Le service est occupé. Réessayez dans un instant.",
    VIRTUAL_CAMERA:
      "Une caméra virtuelle ou un logiciel de caméra semble être utilisé. Utilisez la caméra intégrée de votre appareil.",
    generic: "Un problème est survenu. Veuillez réessayer.",
  },
};
