import type { LivenessStrings } from "../liveness-strings.ts";

/**
 * Spanish texts of `<lumen-liveness>`.
 *
 * @example
 * ```ts
 * es.start; // "Iniciar la verificación"
 * ```
 */
export const es: LivenessStrings = {
  title: "Verificación facial",
  intro: "Comprobaremos que está presente frente a su cámara. Tarda unos 20 segundos.",
  start: "Iniciar la verificación",
  cancel: "Cancelar",
  retry: "Intentar de nuevo",
  progressLabel: "Progreso de la verificación",
  warningTitle: "Advertencia de fotosensibilidad",
  warningBody:
    "Durante la verificación, la pantalla mostrará destellos de varios colores. Si tiene epilepsia fotosensible o es sensible a las luces intermitentes, elija la verificación sin destellos.",
  warningConfirm: "Continuar con destellos",
  warningDecline: "Verificar sin destellos",
  noFlashRequested: "Se ha solicitado una verificación sin destellos.",
  flashing: "No se mueva y mire la pantalla mientras cambia de color.",
  states: {
    "checking-support": "Comprobando su navegador…",
    "opening-camera": "Abriendo la cámara…",
    "loading-models": "Preparando la verificación…",
    positioning: "Coloque su cara dentro del óvalo.",
    challenge: "Siga las instrucciones de la pantalla.",
    uploading: "Enviando el resultado…",
  },
  hints: {
    "no-face": "No se detecta ninguna cara. Coloque su cara dentro del óvalo.",
    "several-faces": "Se ve más de una cara. Asegúrese de que solo aparece usted.",
    "too-far": "Acérquese a la cámara.",
    "too-close": "Aléjese un poco de la cámara.",
    "off-oval": "Centre su cara dentro del óvalo.",
    "hold-still": "Bien. No se mueva.",
    "pose-left": "Gire la cabeza lentamente hacia la izquierda.",
    "pose-right": "Gire la cabeza lentamente hacia la derecha.",
    "pose-up": "Incline la cabeza lentamente hacia arriba.",
    "pose-down": "Incline la cabeza lentamente hacia abajo.",
    "pose-reached": "Bien. Mantenga esa posición.",
  },
  quality: {
    "too-dark": "Hay muy poca luz. Busque un lugar más iluminado o encienda una luz.",
    "too-bright": "Hay demasiada luz. Aléjese de la luz directa.",
    blurry: "La imagen está borrosa. No se mueva y limpie la lente de la cámara.",
    "turned-away": "Mire directamente a la cámara.",
  },
  results: {
    pass: "Verificación completada. Gracias.",
    fail: "No hemos podido confirmar la verificación.",
    retry: "La verificación no fue lo bastante clara. Inténtelo de nuevo.",
  },
  errors: {
    CAMERA_DENIED:
      "Se ha bloqueado el acceso a la cámara. Permita la cámara en la configuración del navegador e inténtelo de nuevo.",
    CAMERA_NOT_FOUND: "No se ha encontrado ninguna cámara. Conecte una e inténtelo de nuevo.",
    CAMERA_IN_USE: "Otra aplicación está usando la cámara. Ciérrela e inténtelo de nuevo.",
    UNSUPPORTED_BROWSER:
      "Este navegador no puede realizar la verificación. Use una versión reciente de Chrome, Edge, Firefox o Safari.",
    WORKER_CRASHED: "La verificación se detuvo inesperadamente. Inténtelo de nuevo.",
    MODEL_INTEGRITY_FAILED:
      "No se pudieron verificar los archivos de la verificación, por lo que se detuvo por su seguridad. Inténtelo más tarde.",
    MODEL_NOT_FOUND: "No se pudieron cargar los archivos de la verificación. Inténtelo más tarde.",
    NETWORK_FAILED: "Se perdió la conexión. Compruebe su conexión e inténtelo de nuevo.",
    CANCELLED: "Se canceló la verificación.",
    SESSION_EXPIRED: "Esta verificación ha caducado. Vuelva a empezar.",
    RATE_LIMITED: "Demasiados intentos. Espere un momento e inténtelo de nuevo.",
    BUSY: "El servicio está ocupado. Inténtelo de nuevo en un momento.",
    VIRTUAL_CAMERA:
      "Parece que se está usando una cámara virtual o un programa de cámara. Use la cámara integrada de su dispositivo.",
    generic: "Algo salió mal. Inténtelo de nuevo.",
  },
};
