/** TM Forum 开放接口. */
export const tmf = {
  'menu.system.tmf': '开放接口',
};
