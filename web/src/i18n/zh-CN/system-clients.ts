/** 接口客户端. */
export const systemClients = {
  'menu.system.clients': '接口客户端',
};
