// fix: retry
'use strict';
const fetch = require('node-fetch');

const BASE = 'https://api.partnercenter.microsoft.com';

async function orders(customerId) {
  const res = await fetch(`${BASE}/v1/customers/${customerId}/orders`);
  return res.json();
}

module.exports = { orders };
