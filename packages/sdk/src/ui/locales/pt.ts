import type { LivenessStrings } from "../liveness-strings.ts";

/**
 * Portuguese texts of `<lumen-liveness>`.
 *
 * @example
 * ```ts
 * pt.start; // "Iniciar a verificação"
 * ```
 */
export const pt: LivenessStrings = {
  title: "Verificação facial",
  intro: "Vamos verificar que você está presente diante da câmera. Leva cerca de 20 segundos.",
  start: "Iniciar a verificação",
  cancel: "Cancelar",
  retry: "Tentar novamente",
  progressLabel: "Progresso da verificação",
  warningTitle: "Aviso de fotossensibilidade",
  warningBody:
    "Durante a verificação, a tela vai piscar em várias cores. Se você tem epilepsia fotossensível ou é sensível a luzes piscantes, escolha a verificação sem piscar.",
  warningConfirm: "Continuar com luzes piscando",
  warningDecline: "Verificar sem piscar",
  noFlashRequested: "Foi solicitada uma verificação sem luzes piscando.",
  flashing: "Fique parado e olhe para a tela enquanto ela muda de cor.",
  states: {
    "checking-support": "Verificando o seu navegador…",
    "opening-camera": "Abrindo a câmera…",
    "loading-models": "Preparando a verificação…",
    positioning: "Posicione o rosto dentro do oval.",
    challenge: "Siga as instruções na tela.",
    uploading: "Enviando o resultado…",
  },
  hints: {
    "no-face": "Nenhum rosto encontrado. Posicione o rosto dentro do oval.",
    "several-faces": "Há mais de um rosto visível. Garanta que apenas você apareça.",
    "too-far": "Aproxime-se da câmera.",
    "too-close": "Afaste-se um pouco da câmera.",
    "off-oval": "Centralize o rosto dentro do oval.",
    "hold-still": "Muito bem. Fique parado.",
    "pose-left": "Vire a cabeça devagar para a esquerda.",
    "pose-right": "Vire a cabeça devagar para a direita.",
    "pose-up": "Incline a cabeça devagar para cima.",
    "pose-down": "Incline a cabeça devagar para baixo.",
    "pose-reached": "Muito bem. Mantenha essa posição.",
  },
  quality: {
    "too-dark": "Está muito escuro. Vá para um lugar mais iluminado ou acenda uma luz.",
    "too-bright": "Está muito claro. Afaste-se da luz direta.",
    blurry: "A imagem está borrada. Fique parado e limpe a lente da câmera.",
    "turned-away": "Olhe diretamente para a câmera.",
  },
  results: {
    pass: "Verificação concluída. Obrigado.",
    fail: "Não foi possível confirmar a verificação.",
    retry: "A verificação não ficou clara o suficiente. Tente novamente.",
  },
  errors: {
    CAMERA_DENIED:
      "O acesso à câmera foi bloqueado. Permita a câmera nas configurações do navegador e tente novamente.",
    CAMERA_NOT_FOUND: "Nenhuma câmera foi encontrada. Conecte uma câmera e tente novamente.",
    CAMERA_IN_USE: "A câmera está sendo usada por outro aplicativo. Feche-o e tente novamente.",
    UNSUPPORTED_BROWSER:
      "Este navegador não consegue fazer a verificação. Use uma versão recente do Chrome, Edge, Firefox ou Safari.",
    WORKER_CRASHED: "A verificação parou inesperadamente. Tente novamente.",
    MODEL_INTEGRITY_FAILED:
      "Não foi possível validar os arquivos da verificação, por isso ela foi interrompida para sua segurança. Tente mais tarde.",
    MODEL_NOT_FOUND: "Não foi possível carregar os arquivos da verificação. Tente mais tarde.",
    NETWORK_FAILED: "A conexão foi perdida. Verifique a sua conexão e tente novamente.",
    CANCELLED: "A verificação foi cancelada.",
    SESSION_EXPIRED: "Esta verificação expirou. Comece novamente.",
    RATE_LIMITED: "Muitas tentativas. Aguarde um momento e tente novamente.",
    BUSY: "O serviço está ocupado. Tente novamente em instantes.",
    VIRTUAL_CAMERA:
      "Parece que uma câmera virtual ou um programa de câmera está em uso. Use a câmera integrada do seu dispositivo.",
    generic: "Algo deu errado. Tente novamente.",
  },
};
