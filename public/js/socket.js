// One Socket.IO connection per page, shared by the page's scripts (notifications, living room).
import { io } from '/socket.io/socket.io.esm.min.js';

export const socket = io({ withCredentials: true });
